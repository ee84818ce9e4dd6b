package io.livedesk.signaling.presence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/staff}: every staff member's presence, for supervisors. */
public final class StaffApi {
    private final PresenceStore store;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public StaffApi(PresenceStore store, ApiAuth auth, ObjectMapper json) {
        this.store = store;
        this.auth = auth;
        this.json = json;
    }

    record StaffView(Subject id, String name, String status, boolean connected, int load, int capacity,
                     Set<String> skills, Set<String> languages, String idleSince, String lastActivity) {
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, "/api/staff", call -> {
            // Staff see their colleagues too: to pick one for a transfer.
            auth.require(call, EnumSet.of(Role.STAFF, Role.SUPERVISOR));
            List<StaffView> views = store.list().stream()
                    .sorted(Comparator.comparing(StaffPresence::id))
                    .map(p -> new StaffView(p.id(), p.profile().name(), p.effectiveStatus().wire(), p.connected(),
                            p.load(), p.profile().capacity(), p.profile().skills(), p.profile().languages(),
                            Instant.ofEpochMilli(p.idleSinceMs()).toString(),
                            Instant.ofEpochMilli(p.lastActivityMs()).toString()))
                    .toList();
            return HttpReply.json(200, json.writeValueAsString(Map.of("staff", views)));
        });
    }
}
