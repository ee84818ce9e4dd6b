package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.presence.SupervisorIndex;
import io.livedesk.signaling.routing.QueueLoad;
import io.livedesk.signaling.routing.RoutingStore;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one {@link WallboardView} from the shared stores: the queues' loads, presence, the live calls and the
 * day's counters. A handful of store reads whatever the number of supervisors watching; each of them reads
 * every waiting request, member and live call, so it runs at most once per {@code wallboard.interval} per node.
 */
public final class WallboardReader {
    private final RoutingStore routing;
    private final PresenceStore presence;
    private final SupervisorIndex supervisors;
    private final CallStore calls;
    private final DayStatsStore dayStats;
    private final ServiceStats stats;
    private final LiveDeskConfig.Routing queues;
    private final LiveDeskConfig.Wallboard config;

    public WallboardReader(RoutingStore routing, PresenceStore presence, SupervisorIndex supervisors, CallStore calls,
                           DayStatsStore dayStats, ServiceStats stats, LiveDeskConfig.Routing queues,
                           LiveDeskConfig.Wallboard config) {
        this.routing = routing;
        this.presence = presence;
        this.supervisors = supervisors;
        this.calls = calls;
        this.dayStats = dayStats;
        this.stats = stats;
        this.queues = queues;
        this.config = config;
    }

    public WallboardView read(long nowMs) {
        List<String> topics = queues.topics().stream().map(LiveDeskConfig.Topic::id).toList();
        Map<String, QueueLoad> loads = QueueLoad.byQueue(routing.loads(topics));
        List<CallRecord> live = calls.live(config.maxCalls());
        Set<Subject> supervisorIds = supervisors.all();
        List<StaffPresence> members = presence.list();
        LocalDate day = stats.day(nowMs);
        Map<DayCounter, Long> counters = dayStats.read(day);

        List<WallboardView.QueueRow> queueRows = new ArrayList<>();
        for (String topic : topics) {
            for (String language : queues.languages()) {
                QueueLoad load = loads.get(QueueLoad.key(topic, language));
                long answered = count(counters, DayCounter.queue(topic, language, DayCounter.ANSWERED));
                long inTarget = count(counters, DayCounter.queue(topic, language, DayCounter.ANSWERED_IN_TARGET));
                long abandoned = count(counters, DayCounter.queue(topic, language, DayCounter.ABANDONED));
                long waitMs = count(counters, DayCounter.queue(topic, language, DayCounter.WAIT_MS));
                queueRows.add(new WallboardView.QueueRow(topic, language, load == null ? 0 : load.waiting(),
                        load == null ? 0 : load.ringing(),
                        load == null || load.oldestEnqueuedAtMs() == 0 ? null : load.oldestEnqueuedAtMs(),
                        answered, inTarget, abandoned,
                        answered + abandoned == 0 ? null : (double) inTarget / (answered + abandoned),
                        answered == 0 ? null : waitMs / answered));
            }
        }

        Map<Subject, List<CallRecord>> callsOf = new HashMap<>();
        for (CallRecord c : live) {
            if (c.staffId() != null) {
                callsOf.computeIfAbsent(c.staffId(), s -> new ArrayList<>()).add(c);
            }
        }
        List<WallboardView.StaffRow> staffRows = new ArrayList<>();
        for (StaffPresence m : members) {
            if (supervisorIds.contains(m.id())) {
                continue;
            }
            List<CallRecord> theirs = callsOf.getOrDefault(m.id(), List.of());
            String id = m.id().value();
            Long since = theirs.stream().map(CallRecord::staffSinceMs).min(Long::compare).orElse(null);
            staffRows.add(new WallboardView.StaffRow(m.id(), m.profile().name(), state(m, theirs.size()), since,
                    count(counters, DayCounter.staff(id, DayCounter.CALLS)),
                    count(counters, DayCounter.staff(id, DayCounter.TALK_MS)),
                    count(counters, DayCounter.staff(id, DayCounter.DECLINES)),
                    count(counters, DayCounter.staff(id, DayCounter.MISSED)),
                    count(counters, DayCounter.staff(id, DayCounter.TRANSFERS))));
        }
        staffRows.sort(Comparator.comparing((WallboardView.StaffRow r) -> r.state().ordinal())
                .thenComparing(r -> r.name() == null ? "" : r.name()).thenComparing(r -> r.id().value()));

        List<WallboardView.CallRow> callRows = live.stream().map(c -> new WallboardView.CallRow(c.callId(),
                c.customerName(), c.topic(), c.language(), c.staffId(), c.staffName(), c.answeredAtMs(),
                c.formerStaffIds().size(), c.supervisors().size())).toList();
        return new WallboardView(day.toString(), config.serviceLevelTarget().toMillis(), queueRows, staffRows, callRows);
    }

    /**
     * In a call beats ringing (an offer to someone already talking rings too), ringing beats their chosen status;
     * a member who is not connected is offline whatever they chose.
     */
    static WallboardView.StaffState state(StaffPresence m, int liveCalls) {
        if (liveCalls > 0) {
            return WallboardView.StaffState.IN_CALL;
        }
        if (m.load() > 0 && m.connected()) {
            return WallboardView.StaffState.RINGING;
        }
        if (!m.connected() || m.status() == StaffStatus.OFFLINE) {
            return WallboardView.StaffState.OFFLINE;
        }
        return m.status() == StaffStatus.AVAILABLE ? WallboardView.StaffState.AVAILABLE : WallboardView.StaffState.AWAY;
    }

    private static long count(Map<DayCounter, Long> counters, DayCounter c) {
        return counters.getOrDefault(c, 0L);
    }
}
