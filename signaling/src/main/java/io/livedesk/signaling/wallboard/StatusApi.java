package io.livedesk.signaling.wallboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.routing.QueueLoad;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.routing.ServiceHours;
import io.livedesk.signaling.routing.WaitEstimator;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/status}: whether advisors can take a call now and how long the wait is, per queue, for a
 * bank's public pages (the demo page's "advisor online" and "average wait today", the widget before it
 * queues: open or closed, and when it opens). Public and non-identifying: counts and times only, never a name or a subject. Read from the shared
 * stores at most once per {@link #CACHE} per node, however often it is asked.
 */
public final class StatusApi {
    static final Duration CACHE = Duration.ofSeconds(5);

    private final PresenceStore presence;
    private final RoutingStore routing;
    private final DayStatsStore dayStats;
    private final ServiceStats stats;
    private final LiveDeskConfig.Routing queues;
    private final ServiceHours hours;
    private final ObjectMapper json;
    private final Clock clock;
    private final WaitEstimator estimator;
    private volatile String cached;
    private volatile long cachedAtMs;

    public StatusApi(PresenceStore presence, RoutingStore routing, DayStatsStore dayStats, ServiceStats stats,
                     LiveDeskConfig.Routing queues, ServiceHours hours, ObjectMapper json, Clock clock) {
        this.hours = hours;
        this.presence = presence;
        this.routing = routing;
        this.dayStats = dayStats;
        this.stats = stats;
        this.queues = queues;
        this.json = json;
        this.clock = clock;
        this.estimator = new WaitEstimator(queues.averageHandleTime());
    }

    /**
     * @param open              within its opening hours: it takes requests now
     * @param opensAt           when it next opens (ISO-8601 instant) while closed; null while open
     * @param advisorsAvailable whether someone with the skill and language can take a call now
     * @param waiting           customers waiting in it now (ringing ones included)
     * @param estimatedWaitSeconds for a customer who asks now: 0 when an advisor is free
     */
    record QueueStatus(String topic, String language, boolean open, String opensAt, boolean advisorsAvailable,
                       int waiting, long estimatedWaitSeconds) {
    }

    /**
     * @param advisorsAvailable some queue is open with an advisor free
     * @param averageWaitTodaySeconds of today's answered requests, all queues; null before any
     */
    record Status(boolean advisorsAvailable, Long averageWaitTodaySeconds, List<QueueStatus> queues) {
    }

    public void register(HttpRoutes routes) {
        // Read by the bank's own pages, so any origin may fetch it, and caches may keep it briefly.
        routes.add(HttpMethod.GET, "/api/status", call -> HttpReply.json(200, current())
                .withHeader("Access-Control-Allow-Origin", "*")
                .withHeader("Cache-Control", "public, max-age=" + CACHE.toSeconds()));
    }

    private String current() throws Exception {
        long now = clock.millis();
        String body = cached;
        if (body == null || now - cachedAtMs >= CACHE.toMillis()) {
            body = json.writeValueAsString(read(now));
            cached = body;
            cachedAtMs = now;
        }
        return body;
    }

    Status read(long nowMs) {
        List<String> topics = queues.topics().stream().map(LiveDeskConfig.Topic::id).toList();
        List<StaffPresence> staff = presence.list();
        estimator.refresh(staff);
        Map<String, QueueLoad> loads = QueueLoad.byQueue(routing.loads(topics));
        List<QueueStatus> out = new ArrayList<>();
        boolean anyone = false;
        for (String topic : topics) {
            boolean open = hours.isOpen(topic);
            String opensAt = hours.nextOpening(topic).map(Object::toString).orElse(null);
            for (String language : queues.languages()) {
                boolean free = open && staff.stream().anyMatch(p -> p.routable(topic, language));
                QueueLoad load = loads.get(QueueLoad.key(topic, language));
                int waiting = load == null ? 0 : load.waiting() + load.ringing();
                out.add(new QueueStatus(topic, language, open, opensAt, free, waiting, free && waiting == 0 ? 0
                        : estimator.etaSeconds(topic, waiting + 1)));
                anyone |= free;
            }
        }
        long answered = 0;
        long waitMs = 0;
        for (Map.Entry<DayCounter, Long> e : dayStats.read(stats.day(nowMs)).entrySet()) {
            if (e.getKey().scope() == DayCounter.Scope.QUEUE) {
                if (e.getKey().name().equals(DayCounter.ANSWERED)) {
                    answered += e.getValue();
                } else if (e.getKey().name().equals(DayCounter.WAIT_MS)) {
                    waitMs += e.getValue();
                }
            }
        }
        return new Status(anyone, answered == 0 ? null : Math.round(waitMs / 1000.0 / answered), out);
    }
}
