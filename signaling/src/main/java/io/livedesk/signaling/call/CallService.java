package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.cluster.Outbox;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.server.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Calls from answer to end: starts them, relays their media signals through the {@link MediaNegotiator},
 * and ends them once, with a reason, whoever ends them and on whichever node.
 */
public final class CallService {
    private static final Logger log = LoggerFactory.getLogger(CallService.class);
    private static final int CAS_ATTEMPTS = 8;

    private final CallStore store;
    private final MediaNegotiator media;
    private final Outbox outbox;
    private final Clock clock;
    private final Metrics metrics;
    private final Consumer<String> callEnded;

    /** @param callEnded told the staff id whenever a call of theirs ends, so routing frees their capacity */
    public CallService(CallStore store, MediaNegotiator media, Outbox outbox, Clock clock, Metrics metrics,
                       Consumer<String> callEnded) {
        this.store = store;
        this.media = media;
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
        this.callEnded = callEnded;
    }

    /**
     * Applies a state change with compare-and-set, retrying if another node changed the record first.
     * The change returns null when it no longer applies.
     */
    public Optional<CallRecord> update(String callId, UnaryOperator<CallRecord> change) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Optional<CallRecord> current = store.get(callId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            CallRecord next = change.apply(current.get());
            if (next == null) {
                return Optional.empty();
            }
            if (store.compareAndSet(callId, current.get().state(), next)) {
                return Optional.of(next);
            }
        }
        log.warn("call {} changed under us {} times; giving up this update", callId, CAS_ATTEMPTS);
        return Optional.empty();
    }

    /** The staff member accepted the request (routing has made it theirs): both parties are told. */
    public ServerMessage.CallStarted start(ServiceRequest request, Principal staff, String replyId) {
        long now = clock.millis();
        CallRecord call = update(request.id(), r -> switch (r.state()) {
            case OFFERED -> staff.subject().equals(r.staffId()) ? r.answered(now)
                    : r.requeued().offered(staff.subject(), staff.name(), now).answered(now);
            case QUEUED -> r.offered(staff.subject(), staff.name(), now).answered(now);
            default -> null;
        }).orElseThrow(() -> new ProtocolException(ErrorCode.OFFER_EXPIRED, "the request is no longer waiting"));
        metrics.accepted();
        outbox.send(call.customerId(), startedFor(call, Role.CUSTOMER, null, false));
        return startedFor(call, staff.role(), replyId, false);
    }

    /** What a party is told when their call starts or resumes. */
    public ServerMessage.CallStarted startedFor(CallRecord call, Role party, String replyId, boolean resumed) {
        boolean customer = party == Role.CUSTOMER;
        var peer = customer ? new ServerMessage.PeerView(call.staffName(), "staff")
                : new ServerMessage.PeerView(call.customerName(), "customer");
        return new ServerMessage.CallStarted(replyId, call.callId(), peer, media.offers(party),
                media.iceServersFor(call, party), resumed ? Boolean.TRUE : null, media.mode());
    }

    /**
     * A party signed in again during a live call: they get the call back, and the media negotiator
     * reconnects the media (peer-to-peer: when the customer is back, the initiator makes a fresh offer to
     * their new page; bridge: the party's new page offers itself).
     */
    public Optional<ServerMessage.CallStarted> resume(Principal party) {
        return store.liveCallOf(party.subject()).map(call -> {
            media.resumed(call, party.subject());
            return startedFor(call, party.role(), null, true);
        });
    }

    public Optional<CallRecord> liveCallOf(String subject) {
        return store.liveCallOf(subject);
    }

    public Optional<CallRecord> get(String callId) {
        return store.get(callId);
    }

    /** Hands a party's SDP or candidate to the media negotiator; the first answer makes the call active. */
    public void signal(Principal from, ClientMessage.CallSignal signal) {
        CallRecord call = liveCallFor(from, signal.callId());
        media.signal(call, from.subject(), from.role(), signal, () -> {
            if (call.state() == CallState.CONNECTING) {
                long now = clock.millis();
                update(call.callId(), r -> r.state() == CallState.CONNECTING ? r.connected(now) : r);
            }
        });
    }

    /** A party hangs up: both are told, the caller in reply to their request. */
    public ServerMessage.CallEnded hangup(Principal from, String callId, String replyId) {
        CallRecord call = liveCallFor(from, callId);
        EndReason reason = from.subject().equals(call.customerId()) ? EndReason.CUSTOMER_HANGUP : EndReason.STAFF_HANGUP;
        CallRecord ended = end(callId, reason, from.subject())
                .orElseThrow(() -> new ProtocolException(ErrorCode.INVALID_STATE, "the call has already ended"));
        return new ServerMessage.CallEnded(replyId, ended.callId(), ended.endReason().wire());
    }

    /**
     * Ends a live call with the reason; tells both parties except {@code quietSubject} (who gets a reply
     * instead, or is gone). Empty if it was not live (someone else ended it first).
     */
    public Optional<CallRecord> end(String callId, EndReason reason, String quietSubject) {
        long now = clock.millis();
        Optional<CallRecord> ended = update(callId, r -> r.state().live() ? r.ended(reason, now) : null);
        ended.ifPresent(call -> {
            metrics.callEnded(reason.wire());
            media.ended(call);
            var notice = new ServerMessage.CallEnded(null, callId, reason.wire());
            for (String party : new String[]{call.customerId(), call.staffId()}) {
                if (!party.equals(quietSubject)) {
                    outbox.send(party, notice);
                }
            }
            callEnded.accept(call.staffId());
        });
        return ended;
    }

    private CallRecord liveCallFor(Principal caller, String callId) {
        CallRecord call = store.get(callId)
                .filter(r -> r.isParty(caller.subject()))
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such call"));
        if (!call.state().live()) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the call is " + call.state().wire());
        }
        return call;
    }
}
