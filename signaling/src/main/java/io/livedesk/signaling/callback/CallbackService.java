package io.livedesk.signaling.callback;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffProfile;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.protocol.ServerMessage.CallbackView;
import io.livedesk.signaling.routing.RoutingService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Callback requests (docs/protocol.md, "Callbacks"): a customer who would rather not wait (no advisor free,
 * the queue closed, or the maximum wait reached) leaves their name, a phone number or a note and a preferred
 * time; staff of that queue (its topic and language, as calls are routed) see it on the desk, take it, call
 * back and close it with an outcome. Every node's staff are told when the list changed. Names, numbers and
 * notes are never logged: log lines carry the request's id only.
 */
public final class CallbackService {
    private static final Logger log = LoggerFactory.getLogger(CallbackService.class);
    /** The node-task address of "the callbacks changed" (no subject can have it). */
    public static final String CHANGED = "#callbacks";

    private final CallbackStore store;
    private final LiveDeskConfig.Routing queues;
    private final MessageRouter router;
    private final Clock clock;

    public CallbackService(CallbackStore store, LiveDeskConfig.Routing queues, MessageRouter router, Clock clock) {
        this.store = store;
        this.queues = queues;
        this.router = router;
        this.clock = clock;
    }

    /** Tells this node's staff and supervisors, through {@code tellHere}, whenever any node says the list changed. */
    public void start(Consumer<ServerMessage> tellHere) {
        router.onNodeTasks(CHANGED, text -> tellHere.accept(new ServerMessage.CallbacksChanged()));
    }

    public ServerMessage.CallbackRequested request(Principal customer, ClientMessage.CallbackRequestCreate m) {
        RoutingService.requireQueue(queues, m.topic(), m.language());
        CallbackRequest request = CallbackRequest.open(CallbackId.random(), customer.subject(), m.name(), m.phone(),
                m.note(), m.preferredTime(), m.topic(), m.language(), m.context(), clock.millis());
        Optional<CallbackRequest> existing = store.create(request);
        if (existing.isPresent()) {
            throw new ProtocolException(ErrorCode.INVALID_STATE,
                    "you already asked to be called back; staff will call you (request " + existing.get().id() + ")");
        }
        log.info("callback {} requested ({}/{})", request.id(), request.topic(), request.language());
        changed();
        return new ServerMessage.CallbackRequested(m.id(), request.id().value(), request.topic(), request.preferredTime());
    }

    public ServerMessage.Callbacks list(Principal staff, ClientMessage.CallbacksList m) {
        StaffProfile profile = PresenceService.profileOf(staff);
        List<CallbackView> open = store.open(CallbackStore.OPEN_LIMIT).stream()
                .filter(r -> serves(staff, profile, r)).map(CallbackView::of).toList();
        List<CallbackView> mine = store.takenBy(staff.subject()).stream().map(CallbackView::of).toList();
        return new ServerMessage.Callbacks(m.id(), open, mine);
    }

    public ServerMessage.CallbackTaken take(Principal staff, ClientMessage.CallbackTake m) {
        CallbackId id = idOf(m.callbackId());
        CallbackRequest request = store.get(id).filter(r -> serves(staff, PresenceService.profileOf(staff), r))
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no callback request with that id"));
        CallbackRequest taken = store.take(request.id(), staff.subject(), clock.millis())
                .orElseThrow(() -> new ProtocolException(ErrorCode.INVALID_STATE,
                        "that callback request was taken by someone else or closed"));
        log.info("callback {} taken by {}", id, staff.subject());
        changed();
        return new ServerMessage.CallbackTaken(m.id(), CallbackView.of(taken));
    }

    public ServerMessage.CallbackClosed close(Principal staff, ClientMessage.CallbackClose m) {
        CallbackId id = idOf(m.callbackId());
        CallbackOutcome outcome = CallbackOutcome.parse(m.outcome()).orElseThrow(() -> new ProtocolException(
                ErrorCode.BAD_MESSAGE, "outcome must be reached, no_answer or not_needed"));
        boolean supervisor = staff.role() == Role.SUPERVISOR;
        CallbackRequest closed = store.close(id, staff.subject(), supervisor, outcome, m.note(), clock.millis())
                .orElseThrow(() -> new ProtocolException(supervisor ? ErrorCode.NOT_FOUND : ErrorCode.INVALID_STATE,
                        supervisor ? "no open callback request with that id" : "you have not taken that callback request"));
        log.info("callback {} closed by {}: {}", id, staff.subject(), outcome.wire());
        changed();
        return new ServerMessage.CallbackClosed(m.id(), CallbackView.of(closed));
    }

    /** Staff see and take the requests of the queues they could be routed a call of; supervisors all. */
    private static boolean serves(Principal staff, StaffProfile profile, CallbackRequest r) {
        return staff.role() == Role.SUPERVISOR || profile.serves(r.topic(), r.language());
    }

    private static CallbackId idOf(String text) {
        return CallbackId.parse(text)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no callback request with that id"));
    }

    private void changed() {
        router.toAllNodes(CHANGED, "{}");
    }
}
