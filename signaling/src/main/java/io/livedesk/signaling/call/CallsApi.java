package io.livedesk.signaling.call;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Call records over REST: {@code GET /api/calls} (supervisors see all, staff their own history, with the calls
 * they transferred away) and {@code GET /api/calls/{id}} (a party or a supervisor). Wait and talk time are
 * {@link CallRecord#waitMs} and {@link CallRecord#talkMs}, the values every screen shows.
 */
public final class CallsApi {
    private static final String PREFIX = "/api/calls/";

    private final CallStore store;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public CallsApi(CallStore store, ApiAuth auth, ObjectMapper json, Clock clock) {
        this.store = store;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public record Party(Subject id, String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallView(CallId callId, String state, String topic, String language, int priority, Party customer,
                    Party staff, String enqueuedAt, String offeredAt, String answeredAt, String connectedAt,
                    String endedAt, long waitMs, long talkMs, String endReason, List<Subject> supervisors,
                    List<Subject> formerStaff, Boolean transferring, String transcript) {
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, "/api/calls", call -> {
            Principal p = auth.require(call, EnumSet.of(Role.STAFF, Role.SUPERVISOR, Role.CUSTOMER));
            if (p.role() == Role.CUSTOMER) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "customers cannot list calls");
            }
            int limit = call.limit(50, 500);
            long now = clock.millis();
            List<CallRecord> records = p.role() == Role.SUPERVISOR ? store.recent(limit) : store.history(p.subject(), limit);
            List<CallView> views = records.stream().map(r -> view(r, now)).toList();
            return HttpReply.json(200, json.writeValueAsString(Map.of("calls", views)));
        });
        routes.add(HttpMethod.GET, PREFIX, call -> {
            Principal p = auth.require(call, EnumSet.allOf(Role.class));
            String id = call.path().substring(PREFIX.length());
            CallRecord record = CallId.parse(id).flatMap(store::get)
                    .filter(r -> p.role() == Role.SUPERVISOR || r.isParty(p.subject()))
                    .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such call"));
            CallView view = view(record, clock.millis());
            // A customer must not learn from their own record that a supervisor listened in (or who did).
            return HttpReply.json(200, json.writeValueAsString(p.role() == Role.CUSTOMER ? withoutSupervisors(view) : view));
        });
    }

    /** A call as REST shows it, its durations as of {@code nowMs}. */
    public static CallView view(CallRecord r, long nowMs) {
        return new CallView(r.callId(), r.state().wire(), r.topic(), r.language(), r.priority(),
                new Party(r.customerId(), r.customerName()),
                r.staffId() == null ? null : new Party(r.staffId(), r.staffName()),
                time(r.enqueuedAtMs()), time(r.offeredAtMs()), time(r.answeredAtMs()), time(r.connectedAtMs()),
                time(r.endedAtMs()), r.waitMs(nowMs), r.talkMs(nowMs),
                r.endReason() == null ? null : r.endReason().wire(), r.supervisorIds(), r.formerStaffIds(),
                r.transferRequestId() == null ? null : Boolean.TRUE,
                // Where its transcript is (see transcript.TranscriptApi), once someone answered it.
                r.answeredAtMs() == 0 ? null : PREFIX + r.callId() + "/transcript");
    }

    private static CallView withoutSupervisors(CallView v) {
        return new CallView(v.callId(), v.state(), v.topic(), v.language(), v.priority(), v.customer(), v.staff(),
                v.enqueuedAt(), v.offeredAt(), v.answeredAt(), v.connectedAt(), v.endedAt(), v.waitMs(), v.talkMs(),
                v.endReason(), null, v.formerStaff(), v.transferring(), v.transcript());
    }

    private static String time(long ms) {
        return ms == 0 ? null : Instant.ofEpochMilli(ms).toString();
    }
}
