package io.livedesk.signaling.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** {@code GET /api/topics} (public) and {@code GET /api/queues} (staff and supervisors). */
public final class QueuesApi {
    private final RoutingService routing;
    private final PresenceStore presence;
    private final LiveDeskConfig.Routing config;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public QueuesApi(RoutingService routing, PresenceStore presence, LiveDeskConfig.Routing config, ApiAuth auth,
                     ObjectMapper json) {
        this.routing = routing;
        this.presence = presence;
        this.config = config;
        this.auth = auth;
        this.json = json;
    }

    record QueueView(String topic, int waiting, int offered, long oldestWaitMs, int staffAvailable, int staffBusy) {
    }

    public void register(HttpRoutes routes) {
        // Public and read by the widget on the bank's own pages, so any origin may fetch it.
        routes.add(HttpMethod.GET, "/api/topics", call -> {
            HttpReply body = HttpReply.json(200, json.writeValueAsString(
                    Map.of("topics", config.topics(), "languages", config.languages())));
            return new HttpReply(body.status(), body.contentType(), body.body(), Map.of("Access-Control-Allow-Origin", "*"));
        });
        routes.add(HttpMethod.GET, "/api/queues", call -> {
            auth.require(call, EnumSet.of(Role.STAFF, Role.SUPERVISOR));
            long now = System.currentTimeMillis();
            List<StaffPresence> staff = presence.list();
            List<QueueView> views = routing.stats().stream().map(s -> new QueueView(s.topic(), s.waiting(), s.offered(),
                    s.oldestEnqueuedAtMs() == 0 ? 0 : now - s.oldestEnqueuedAtMs(),
                    count(staff, s.topic(), StaffStatus.AVAILABLE), count(staff, s.topic(), StaffStatus.BUSY))).toList();
            return HttpReply.json(200, json.writeValueAsString(Map.of("queues", views)));
        });
    }

    private static int count(List<StaffPresence> staff, String topic, StaffStatus status) {
        return (int) staff.stream()
                .filter(p -> p.connected() && p.profile().skills().contains(topic) && p.effectiveStatus() == status)
                .count();
    }
}
