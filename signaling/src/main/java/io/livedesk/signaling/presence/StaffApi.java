package io.livedesk.signaling.presence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Principal;
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

/**
 * {@code GET /api/staff}: every staff member's presence, for supervisors (and a reduced view for colleagues).
 * Supervisors have presence too (they serve) but are not staff to be counted or transferred to: left out.
 */
public final class StaffApi {
    private final PresenceStore store;
    private final SupervisorIndex supervisors;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public StaffApi(PresenceStore store, SupervisorIndex supervisors, ApiAuth auth, ObjectMapper json) {
        this.store = store;
        this.supervisors = supervisors;
        this.auth = auth;
        this.json = json;
    }

    record StaffView(Subject id, String name, String status, boolean connected, int load, int capacity,
                     Set<String> skills, Set<String> languages, String idleSince, String lastActivity) {
    }

    /** What a staff member sees of a colleague: enough to pick one who can take a transfer now, no more. */
    record ColleagueView(Subject id, String name, String status, boolean connected, int load, int capacity) {
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, "/api/staff", call -> {
            Principal caller = auth.require(call, EnumSet.of(Role.STAFF, Role.SUPERVISOR));
            Set<Subject> notStaff = supervisors.all();
            List<StaffPresence> all = store.list().stream().filter(p -> !notStaff.contains(p.id()))
                    .sorted(Comparator.comparing(StaffPresence::id)).toList();
            List<?> views = caller.role() == Role.SUPERVISOR
                    ? all.stream().map(StaffApi::full).toList()
                    : all.stream().map(StaffApi::colleague).toList();
            return HttpReply.json(200, json.writeValueAsString(Map.of("staff", views)));
        });
    }

    private static StaffView full(StaffPresence p) {
        return new StaffView(p.id(), p.profile().name(), p.effectiveStatus().wire(), p.connected(),
                p.load(), p.profile().capacity(), p.profile().skills(), p.profile().languages(),
                Instant.ofEpochMilli(p.idleSinceMs()).toString(), Instant.ofEpochMilli(p.lastActivityMs()).toString());
    }

    private static ColleagueView colleague(StaffPresence p) {
        return new ColleagueView(p.id(), p.profile().name(), p.effectiveStatus().wire(), p.connected(),
                p.load(), p.profile().capacity());
    }
}
