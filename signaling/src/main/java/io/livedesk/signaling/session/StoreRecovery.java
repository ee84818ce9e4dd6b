package io.livedesk.signaling.session;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallRecords;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.cluster.SessionLocation;
import io.livedesk.signaling.cluster.SessionStore;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.LocalConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts back what this node's clients hold after the shared store came back empty: each node is the truth
 * for its own connections, so every node re-registers its sessions, the calls it knows (newest revision
 * wins across nodes), its staff with the status they chose and the load of their live calls, and its
 * customers' waiting requests with their original enqueue time and rank. Then routing runs as after any
 * change: restored requests are offered, restored staff are offered work. Offers that were ringing are
 * not put back; their requests wait again and are offered afresh. A transfer under way is called off (its
 * request is gone) and the staff member told. Idempotent: run again if it fails half-way.
 */
public final class StoreRecovery {
    private static final Logger log = LoggerFactory.getLogger(StoreRecovery.class);

    private final String nodeId;
    private final SessionStore sessions;
    private final LocalConnections local;
    private final PresenceService presence;
    private final RoutingService routing;
    private final CallRecords calls;
    private final MessageRouter router;
    private final Clock clock;

    public StoreRecovery(String nodeId, SessionStore sessions, LocalConnections local, PresenceService presence,
                         RoutingService routing, CallRecords calls, MessageRouter router, Clock clock) {
        this.nodeId = nodeId;
        this.sessions = sessions;
        this.local = local;
        this.presence = presence;
        this.routing = routing;
        this.calls = calls;
        this.router = router;
        this.clock = clock;
    }

    public void run() {
        long now = clock.millis();
        List<ClientConnection> here = local.authenticated().stream().filter(c -> c.principal() != null).toList();
        for (ClientConnection c : here) {
            Principal p = c.principal();
            sessions.bind(new SessionLocation(p.subject(), p.role(), nodeId, c.id()), now);
        }
        int callsBack = putBackCalls();
        List<Subject> staff = new ArrayList<>();
        for (ClientConnection c : here) {
            if (c.principal().role().serves()) {
                putBackMember(c);
                staff.add(c.principal().subject());
            }
        }
        List<ServiceRequest> requests = new ArrayList<>();
        for (ClientConnection c : local.customersWaiting()) {
            ServiceRequest r = c.heldRequest();
            if (r != null && putBackRequest(r)) {
                requests.add(r);
            }
        }
        // As if each had just arrived, oldest first; then the staff, as if each had just become free.
        requests.sort(Comparator.comparingLong(ServiceRequest::enqueuedAtMs));
        requests.forEach(r -> routing.matchNew(r.id()));
        staff.forEach(routing::offerWorkTo);
        log.info("put back {} sessions, {} calls, {} staff and {} waiting requests", here.size(), callsBack,
                staff.size(), requests.size());
    }

    /** Live and recently ended calls; the ones before an answer come back with their requests. */
    private int putBackCalls() {
        int written = 0;
        for (CallRecord known : calls.known().all()) {
            if (!known.state().live() && known.state() != CallState.ENDED) {
                continue;
            }
            boolean transferCalledOff = known.state().live() && known.transferRequestId() != null;
            CallRecords.Restored restored = calls.restore(transferCalledOff ? known.transferCancelled() : known);
            if (!restored.written()) {
                continue;
            }
            written++;
            CallRecord before = restored.replaced();
            if (before != null && before.state().live() && !restored.stored().state().live() && before.staffId() != null) {
                // Another node put back this call live before we put back its end: the member's load follows.
                routing.callEnded(before.staffId());
            }
            if (transferCalledOff) {
                router.send(known.staffId(), new ServerMessage.CallTransferFailed(known.callId(), "interrupted"));
            }
        }
        return written;
    }

    private void putBackMember(ClientConnection c) {
        Principal p = c.principal();
        presence.connect(p);
        routing.restoreLoad(p.subject(), calls.liveCallOf(p.subject()).isPresent() ? 1 : 0);
        StaffStatus chosen = c.chosenStatus();
        if (chosen != null && chosen != StaffStatus.BUSY) {
            presence.setStatus(p.subject(), chosen);
        }
        presence.notifyMember(p.subject());
    }

    /** The request's call record first (as queued), unless the call went ahead meanwhile; then the request. */
    private boolean putBackRequest(ServiceRequest r) {
        CallRecord record = calls.known().get(r.callId())
                .map(k -> k.state() == CallState.OFFERED ? k.requeued() : k)
                .orElseGet(() -> CallRecord.queued(r.callId(), r.customerId(), r.customerName(), r.topic(),
                        r.language(), r.priority(), r.enqueuedAtMs()));
        if (record.state() != CallState.QUEUED) {
            return false; // answered or ended: the call itself is put back, not the request
        }
        CallState stored = calls.restore(record).stored().state();
        return stored == CallState.QUEUED && routing.restore(r);
    }
}
