package io.livedesk.signaling.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastStore;
import io.livedesk.signaling.live.WatchHistory;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.routing.Offer;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/calls/{id}/brief}: the {@link CustomerBrief} of a call, for whoever may serve it now: the
 * staff member it rings for or who has it (or had it before a transfer), a colleague a transfer of it rings
 * for, and supervisors. Anyone else, customers included, gets 404 as for an unknown call, so a brief
 * never tells whether a call exists. Answers are marked {@code no-store}: they hold customer data.
 */
public final class BriefApi {
    public static final String PATH = "/api/calls/{id}/brief";
    private static final String PREFIX = "/api/calls/";
    private static final String SUFFIX = "/brief";

    private final CallStore calls;
    private final RoutingStore routing;
    private final WatchHistory watched;
    private final BroadcastStore broadcasts;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;

    public BriefApi(CallStore calls, RoutingStore routing, WatchHistory watched, BroadcastStore broadcasts,
                    ApiAuth auth, ObjectMapper json, Clock clock) {
        this.calls = calls;
        this.routing = routing;
        this.watched = watched;
        this.broadcasts = broadcasts;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, PATH, call -> {
            Principal p = auth.require(call, EnumSet.allOf(Role.class));
            String rawId = call.path().substring(PREFIX.length(), call.path().length() - SUFFIX.length());
            CallRecord record = CallId.parse(rawId).flatMap(calls::get)
                    .filter(r -> p.role() == Role.SUPERVISOR || p.role() == Role.STAFF && serves(r, p.subject()))
                    .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such call"));
            boolean identified = record.asked().identified();
            CustomerBrief brief = CustomerBrief.of(record,
                    identified ? calls.history(record.customerId(), CustomerBrief.MAX_PREVIOUS + 1) : List.of(),
                    identified ? watchedBy(record.customerId()) : List.of(), clock.millis());
            return HttpReply.json(200, json.writeValueAsString(brief)).withHeader("Cache-Control", "no-store");
        });
    }

    private List<CustomerBrief.WatchedBroadcast> watchedBy(Subject customer) {
        return watched.recent(customer, CustomerBrief.MAX_PREVIOUS).stream()
                .map(w -> new CustomerBrief.WatchedBroadcast(w.broadcastId(),
                        broadcasts.get(w.broadcastId()).map(Broadcast::title).orElse(null), w.atMs()))
                .toList();
    }

    /** Whether the staff member has, had, or is being offered the call (or a transfer of it). */
    private boolean serves(CallRecord r, Subject staff) {
        if (staff.equals(r.staffId()) || r.formerStaffIds().contains(staff)) {
            return true;
        }
        RequestId ringing = r.transferRequestId() != null ? r.transferRequestId() : RequestId.of(r.callId().value());
        Optional<Offer> offer = routing.offerOf(ringing);
        return offer.isPresent() && offer.get().staffId().equals(staff);
    }
}
