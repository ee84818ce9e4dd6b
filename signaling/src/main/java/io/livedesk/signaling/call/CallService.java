package io.livedesk.signaling.call;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.Accepted;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.routing.RoutingSteps;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.server.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Calls from answer to end: starts them, relays their media signals through the {@link MediaNegotiator},
 * and ends them once, with a reason, whoever ends them and on whichever node.
 */
public final class CallService {
    private static final Logger log = LoggerFactory.getLogger(CallService.class);
    /** {@code call.ended} reasons for one participant whose part ended while the call goes on. */
    static final String TRANSFERRED = "transferred";
    static final String LEFT = "left";
    /** Tries of the one-step accept while the call's record keeps changing under it. */
    private static final int ACCEPT_ATTEMPTS = 3;
    /** The most live calls looked at when a media node dies: far more than a node carries. */
    private static final int TAKEOVER_SCAN = 100_000;

    private final CallRecords records;
    private final MediaNegotiator media;
    private final MessageRouter router;
    private final Clock clock;
    private final Metrics metrics;
    private final CallRouting routing;
    private final String nodeId;
    private final MediaHandoff handoff;
    private final Executor afterStore;
    private final Duration handoverTimeout;
    /** Transfers accepted here whose former staff member's media still stays: call -> what lets it go. */
    private final Map<CallId, Runnable> handovers = new ConcurrentHashMap<>();

    /**
     * @param routing    frees staff when their calls end, and queues transfers
     * @param nodeId     this node: calls it answers keep their media state here
     * @param handoff    carries media work to the node holding a call's media state, when that is not this one
     * @param afterStore where an accept or a hang-up goes on once its store step answers (never a store's I/O
     *                   thread): the workers
     */
    public CallService(CallRecords records, MediaNegotiator media, MessageRouter router, Clock clock, Metrics metrics,
                       CallRouting routing, String nodeId, MediaHandoff handoff, Executor afterStore,
                       Duration handoverTimeout) {
        this.afterStore = afterStore;
        this.handoverTimeout = handoverTimeout;
        this.records = records;
        this.media = media;
        this.router = router;
        this.clock = clock;
        this.metrics = metrics;
        this.routing = routing;
        this.nodeId = nodeId;
        this.handoff = handoff;
    }

    private Optional<CallRecord> update(CallId callId, UnaryOperator<CallRecord> change) {
        return records.update(callId, change);
    }

    /** An accepted request and what its staff member is answered. */
    public record Answer(ServiceRequest request, ServerMessage.CallStarted started) {
    }

    /**
     * The staff member accepts an offer: routing makes the request theirs and the call starts, both parties
     * told. A customer's request and its call change in one store step, tried first on the record this node
     * knows; a transfer takes its call over. Fails with offer_expired when the offer is no longer theirs. No
     * thread waits for the store step: the stage completes on {@code afterStore} (or at once in memory).
     */
    public CompletionStage<Answer> accept(Principal staff, ClientMessage.OfferAccept m) {
        RequestId requestId = m.requestId();
        if (requestId.isTransfer()) {
            return Stages.now(() -> {
                Accepted accepted = routing.accept(staff, m);
                return new Answer(accepted.request(), start(accepted, staff, m.id()));
            });
        }
        CallId callId = CallId.of(requestId.value());
        Optional<CallRecord> known = records.known().get(callId);
        return Stages.now(() -> known.isEmpty() ? records.get(callId) : known)
                .thenCompose(expected -> acceptFrom(staff, m, clock.millis(), expected, known.isEmpty(), 0));
    }

    /**
     * One attempt of {@link #accept} from the record as {@code expected} (read from the store, or the one this
     * node knows: a guess); the next attempt reads the store.
     */
    private CompletionStage<Answer> acceptFrom(Principal staff, ClientMessage.OfferAccept m, long now,
                                               Optional<CallRecord> expected, boolean fromStore, int attempt) {
        if (attempt == ACCEPT_ATTEMPTS) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the call changed while you answered; try again");
        }
        CallId callId = CallId.of(m.requestId().value());
        if (expected.isEmpty()) {
            throw offerGone();
        }
        CallRecord from = expected.get();
        if (!waitsForAnswer(from)) { // no longer waiting, or a stale guess
            if (fromStore) {
                throw offerGone();
            }
            return acceptFrom(staff, m, now, records.get(callId), true, attempt + 1);
        }
        CompletionStage<RoutingSteps.AcceptOutcome> step = routing.acceptCall(m.requestId(), staff.subject(), from,
                offeredAt -> answered(from, staff, now, offeredAt));
        return Stages.composeOn(step, afterStore, outcome -> {
            if (outcome instanceof RoutingSteps.AcceptOutcome.NotOffered) {
                throw offerGone();
            }
            if (outcome instanceof RoutingSteps.AcceptOutcome.Started s) {
                records.landed(from, s.call());
                return CompletableFuture.completedFuture(new Answer(s.accepted().request(), started(s.call(), staff, m.id())));
            }
            if (outcome instanceof RoutingSteps.AcceptOutcome.AcceptedOnly a) {
                return CompletableFuture.completedFuture(new Answer(a.accepted().request(), start(a.accepted(), staff, m.id())));
            }
            return acceptFrom(staff, m, now, records.get(callId), true, attempt + 1); // RecordChanged: nothing was done
        });
    }

    private static ProtocolException offerGone() {
        return new ProtocolException(ErrorCode.OFFER_EXPIRED, "that offer is no longer open");
    }

    /**
     * The record of a call its staff member answers, from the record as it waited: they were offered it at
     * {@code offeredAtMs}, answer it now, and this node holds its media. Null when it no longer waits.
     */
    private CallRecord answered(CallRecord r, Principal staff, long nowMs, long offeredAtMs) {
        if (!waitsForAnswer(r)) {
            return null;
        }
        CallRecord offered = switch (r.state()) {
            // A record stored while ringing (records written before offers stayed with routing).
            case OFFERED -> staff.subject().equals(r.staffId()) ? r
                    : r.requeued().offered(staff.subject(), staff.name(), offeredAtMs);
            default -> r.offered(staff.subject(), staff.name(), offeredAtMs);
        };
        return offered.answered(nowMs).withMediaNode(nodeId);
    }

    /** Whether the call still waits for a staff member to answer it (what {@link #answered} starts from). */
    private static boolean waitsForAnswer(CallRecord r) {
        return r.state() == CallState.QUEUED || r.state() == CallState.OFFERED;
    }

    /** Routing made the request the staff member's: the call starts (or a transfer takes its call over). */
    public ServerMessage.CallStarted start(Accepted accepted, Principal staff, String replyId) {
        ServiceRequest request = accepted.request();
        if (request.isTransfer()) {
            return takeOver(request, staff, replyId);
        }
        long now = clock.millis();
        CallRecord call = update(request.callId(), r -> answered(r, staff, now, accepted.offer().offeredAtMs()))
                .orElseThrow(() -> new ProtocolException(ErrorCode.OFFER_EXPIRED, "the request is no longer waiting"));
        return started(call, staff, replyId);
    }

    private ServerMessage.CallStarted started(CallRecord call, Principal staff, String replyId) {
        metrics.accepted();
        router.send(call.customerId(), startedFor(call, Role.CUSTOMER, null, false));
        return startedFor(call, staff.role(), replyId, false);
    }

    /**
     * An accept given again after Redis did not answer (a failover, a timeout) whose first attempt did take
     * the request out of routing: starts the call if its record still rings at this member (the first attempt
     * failed before the call started), or tells both parties of the call they already have (the customer's
     * notice may have been lost with the reply, so they hear it again as resumed). Empty when the call is not
     * theirs. The caller has checked that routing no longer holds the request; without this the request
     * would be gone from routing with nobody's call started.
     */
    public Optional<ServerMessage.CallStarted> acceptedBefore(Principal staff, CallId callId, String replyId) {
        Optional<CallRecord> theirs = get(callId).filter(r -> staff.subject().equals(r.staffId()));
        if (theirs.isPresent() && theirs.get().state().live()) {
            router.send(theirs.get().customerId(), startedFor(theirs.get(), Role.CUSTOMER, null, true));
            return Optional.of(startedFor(theirs.get(), staff.role(), replyId, false));
        }
        if (theirs.isEmpty() || theirs.get().state() != CallState.OFFERED) {
            return Optional.empty();
        }
        long now = clock.millis();
        return update(callId, r -> r.state() == CallState.OFFERED && staff.subject().equals(r.staffId())
                ? r.answered(now).withMediaNode(nodeId) : null)
                .map(call -> started(call, staff, replyId));
    }

    /** What a party is told when their call starts or resumes. */
    public ServerMessage.CallStarted startedFor(CallRecord call, Role party, String replyId, boolean resumed) {
        boolean customer = party == Role.CUSTOMER;
        var peer = customer ? staffView(call) : customerView(call);
        return new ServerMessage.CallStarted(replyId, call.callId(), peer, media.offers(party),
                media.iceServersFor(call, party), resumed ? Boolean.TRUE : null, media.mode(), null, times(call),
                participantsFor(call, customer), media.trickle() ? Boolean.TRUE : null);
    }

    /** The call's wait and talk time now: what every screen counts from. */
    private ServerMessage.CallTimes times(CallRecord call) {
        long now = clock.millis();
        return new ServerMessage.CallTimes(call.waitMs(now), call.talkMs(now));
    }

    private ServerMessage.PeerView staffView(CallRecord call) {
        return new ServerMessage.PeerView(call.staffName(), "staff", stream(call, call.staffId()), null);
    }

    private ServerMessage.PeerView customerView(CallRecord call) {
        return new ServerMessage.PeerView(call.customerName(), "customer", stream(call, call.customerId()), null);
    }

    /**
     * A supervisor as the others see them: the customer learns neither who they are nor of one who only
     * monitors (the caller leaves those out); staff and other supervisors see their name, to tell a
     * colleague's video from the customer's.
     */
    private ServerMessage.PeerView supervisorView(CallRecord call, CallRecord.Supervisor s, boolean toCustomer) {
        return new ServerMessage.PeerView(toCustomer ? null : s.name(), "supervisor", stream(call, s.id()),
                s.announced() ? ClientMessage.CallJoin.BARGE : ClientMessage.CallJoin.MONITOR);
    }

    /** The participant's stream id when the media names them (bridge), else null (left out). */
    private String stream(CallRecord call, Subject subject) {
        return subject != null && media.namesStreams() ? CallStreams.of(call, subject) : null;
    }

    /**
     * Who is in the call, as the customer ({@code toCustomer}: supervisors who barged in only, without their
     * names) or anyone else is told. Null without the bridge, where nobody else can be in a call.
     */
    private List<ServerMessage.PeerView> participantsFor(CallRecord call, boolean toCustomer) {
        if (!media.supportsParticipants()) {
            return null;
        }
        List<ServerMessage.PeerView> people = new ArrayList<>();
        people.add(customerView(call));
        people.add(staffView(call));
        for (CallRecord.Supervisor s : call.supervisors()) {
            if (s.announced() || !toCustomer) {
                people.add(supervisorView(call, s, toCustomer));
            }
        }
        return people;
    }

    /**
     * A supervisor joins a live call: they negotiate their own leg with the bridge and receive everyone's
     * media; the staff member is told, and the customer too when the supervisor barges in.
     */
    public ServerMessage.CallStarted join(Principal supervisor, ClientMessage.CallJoin m) {
        requireParticipants();
        // Drawn once, outside the update: a retried store step keeps the same stream id.
        var joining = new CallRecord.Supervisor(supervisor.subject(), m.barge(), supervisor.name(), CallStreams.random());
        CallRecord call = update(m.callId(), r -> {
            if (!r.state().live()) {
                return null;
            }
            if (r.isSupervisor(supervisor.subject()) || r.isParty(supervisor.subject())) {
                throw new ProtocolException(ErrorCode.INVALID_STATE, "you are already in this call");
            }
            return r.withSupervisor(joining);
        }).orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no live call with that id"));
        metrics.supervisorJoined(m.mode());
        log.info("call {}: supervisor {} joined ({})", call.callId(), supervisor.subject(), m.mode());
        tellParticipants(call, supervisor.subject(), m.barge());
        return new ServerMessage.CallStarted(m.id(), call.callId(), customerView(call), true,
                media.iceServersFor(call, Role.SUPERVISOR), null, media.mode(), m.mode(), times(call),
                participantsFor(call, false), media.trickle() ? Boolean.TRUE : null);
    }

    /** A supervisor leaves a call that goes on. */
    public ServerMessage.CallEnded leave(Principal supervisor, CallId callId, String replyId) {
        boolean[] announced = new boolean[1];
        CallRecord call = update(callId, r -> {
            if (!r.state().live() || !r.isSupervisor(supervisor.subject())) {
                return null;
            }
            announced[0] = r.supervisors().stream().anyMatch(s -> s.id().equals(supervisor.subject()) && s.announced());
            return r.withoutSupervisor(supervisor.subject());
        }).orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "you are not in a live call with that id"));
        mediaLeft(call, supervisor.subject());
        tellParticipants(call, null, announced[0]);
        return new ServerMessage.CallEnded(replyId, callId, LEFT, times(call));
    }

    /**
     * The staff member hands the call to a queue. They stay on until the next staff member accepts, so
     * the customer is never left alone in the call; a second request while one is pending is refused.
     */
    public ServerMessage.CallTransferring transfer(Principal staff, ClientMessage.CallTransfer m) {
        requireParticipants();
        CallRecord call = liveCallFor(staff, m.callId());
        if (!staff.subject().equals(call.staffId())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "only the staff member on the call can transfer it");
        }
        if (call.transferRequestId() != null) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "a transfer of this call is already waiting");
        }
        if (m.staffId() != null && (m.staffId().equals(staff.subject()) || call.isSupervisor(m.staffId()))) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "that colleague is already in this call");
        }
        RequestId requestId = m.staffId() != null ? routing.enqueueTransferTo(call, m.staffId(), staff.name())
                : routing.enqueueTransfer(call, m.topic(), m.language(), staff.name());
        boolean recorded = update(call.callId(), r -> r.state().live() && r.transferRequestId() == null
                && staff.subject().equals(r.staffId()) ? r.transferring(requestId, m.note()) : null).isPresent();
        if (!recorded) {
            routing.cancelTransfer(requestId);
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the call changed; try again");
        }
        if (!routing.offerTransfer(requestId)) {
            routing.cancelTransfer(requestId);
            update(call.callId(), r -> requestId.equals(r.transferRequestId()) ? r.transferCancelled() : null);
            throw new ProtocolException(ErrorCode.INVALID_STATE, "that colleague cannot take a call now");
        }
        metrics.transferRequested();
        log.info("call {}: transfer requested as {}", call.callId(), requestId);
        return new ServerMessage.CallTransferring(m.id(), call.callId(), m.topic(), m.topic() == null ? null : m.language(),
                m.staffId());
    }

    /**
     * The next staff member accepted a transfer: they become the call's staff member and negotiate their
     * leg; the former one is told their part ended and their leg goes; the customer's media carries on.
     */
    private ServerMessage.CallStarted takeOver(ServiceRequest transfer, Principal next, String replyId) {
        CallId callId = transfer.transfer().callId();
        Subject[] former = new Subject[1];
        long now = clock.millis();
        Optional<CallRecord> taken = update(callId, r -> {
            // Only the request the call itself waits for takes it over.
            if (!r.state().live() || !transfer.id().equals(r.transferRequestId())) {
                return null;
            }
            if (r.isParty(next.subject()) || r.isSupervisor(next.subject())) {
                throw new ProtocolException(ErrorCode.INVALID_STATE, "you are already in this call");
            }
            former[0] = r.staffId();
            return r.transferredTo(next.subject(), next.name(), now);
        });
        if (taken.isEmpty()) {
            routing.callEnded(next.subject()); // the accepted offer took capacity that no call will use
            throw new ProtocolException(ErrorCode.OFFER_EXPIRED, "that call has ended");
        }
        CallRecord call = taken.get();
        metrics.accepted();
        log.info("call {}: transferred to a new staff member", callId);
        handOver(call, former[0]);
        routing.callEnded(former[0]);
        router.send(call.customerId(), new ServerMessage.CallTransferred(callId, staffView(call)));
        tellParticipants(call, next.subject(), true);
        return startedFor(call, next.role(), replyId, false);
    }

    /**
     * Make before break: the former staff member's media stays in the call, and their page on it, until the
     * customer's page shows the next one's video ({@link #videoShown}), or for at most {@code handoverTimeout};
     * then their leg goes and they are told their part ended. The customer's picture never goes dark between
     * the two. Which one happens first is remembered on this node only: a hint that reaches another node
     * leaves the timeout to end it.
     */
    private void handOver(CallRecord call, Subject former) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            handovers.remove(call.callId());
            CallRecord now = records.get(call.callId()).orElse(call);
            mediaLeft(now, former);
            router.send(former, new ServerMessage.CallEnded(null, call.callId(), TRANSFERRED, times(now)));
        };
        Runnable previous = handovers.put(call.callId(), release);
        if (previous != null) {
            previous.run(); // a second transfer before the first finished: the first's media goes now
        }
        if (handoverTimeout.isZero()) {
            release.run();
            return;
        }
        CompletableFuture.delayedExecutor(handoverTimeout.toMillis(), TimeUnit.MILLISECONDS, afterStore).execute(release);
    }

    /** A participant's page shows the video of the one who joined: a pending handover of the call completes. */
    public void videoShown(Principal from, CallId callId) {
        Runnable release = handovers.get(callId);
        if (release != null && records.get(callId).filter(r -> r.isParty(from.subject())).isPresent()) {
            release.run();
        }
    }

    /**
     * Sends who is in the call to everyone in it but {@code except}. The customer is told only when
     * {@code toCustomer}: a monitoring supervisor is not announced to them.
     */
    private void tellParticipants(CallRecord call, Subject except, boolean toCustomer) {
        List<ServerMessage.PeerView> people = participantsFor(call, false);
        // The customer hears only of supervisors who barged in, never of one who only monitors.
        List<ServerMessage.PeerView> announced = participantsFor(call, true);
        for (Subject subject : call.participants()) {
            if (subject.equals(except) || (subject.equals(call.customerId()) && !toCustomer)) {
                continue;
            }
            router.send(subject, new ServerMessage.CallParticipants(call.callId(),
                    subject.equals(call.customerId()) ? announced : people));
        }
    }

    private void requireParticipants() {
        if (!media.supportsParticipants()) {
            throw new ProtocolException(ErrorCode.NOT_SUPPORTED,
                    "joining and transferring calls need the media bridge (calls.media = \"bridge\")");
        }
    }

    /**
     * A party signed in again during a live call: they get the call back, and the media negotiator
     * reconnects the media (peer-to-peer: when the customer is back, the initiator makes a fresh offer to
     * their new page; bridge: the party's new page offers itself).
     */
    public Optional<ServerMessage.CallStarted> resume(Principal party) {
        return records.liveCallOf(party.subject()).map(call -> {
            if (mediaHere(call)) {
                media.resumed(call, party.subject());
            } else {
                handoff.forward(call.mediaNode(), MediaTask.of(MediaTask.Kind.RESUMED, call.callId(), party.subject()));
            }
            // A viewer who consulted from a livestream is the call's customer, whatever their token's role.
            Role asParty = party.subject().equals(call.customerId()) ? Role.CUSTOMER : party.role();
            return startedFor(call, asParty, null, true);
        });
    }

    public Optional<CallRecord> liveCallOf(Subject subject) {
        return records.liveCallOf(subject);
    }

    /**
     * A party's connection closed during a live call: the call waits for them through the reconnect grace, and the
     * others are told now rather than left with a frozen picture (on the node holding the call's media, which
     * also follows the party's media).
     */
    public void away(Subject subject) {
        records.liveCallOf(subject).ifPresent(call -> {
            if (mediaHere(call)) {
                media.away(call, subject);
            } else {
                handoff.forward(call.mediaNode(), MediaTask.of(MediaTask.Kind.AWAY, call.callId(), subject));
            }
        });
    }

    /**
     * The subject's last call if it ended at or after {@code sinceMs} and they were still its customer or
     * staff member when it did (not a staff member who had handed it over): how a party who was away learns
     * how it ended.
     */
    public Optional<ServerMessage.EndedCall> endedSince(Subject subject, long sinceMs) {
        return records.lastCallOf(subject)
                .filter(c -> c.state() == CallState.ENDED && c.endedAtMs() >= sinceMs)
                .filter(c -> subject.equals(c.customerId()) || subject.equals(c.staffId()))
                .map(c -> new ServerMessage.EndedCall(c.callId(), c.endReason().wire(),
                        Instant.ofEpochMilli(c.endedAtMs()).toString()));
    }

    public Optional<CallRecord> get(CallId callId) {
        return records.get(callId);
    }

    /**
     * Hands a party's SDP or candidate to the media negotiator (on the node holding the call's media
     * state); the first answer makes the call active.
     */
    public void signal(Principal from, ClientMessage.CallSignal signal) {
        CallRecord call = liveCallFor(from, signal.callId());
        if (mediaHere(call)) {
            signalHere(call, from.subject(), from.role(), from.region(), signal);
        } else {
            handoff.forward(call.mediaNode(), MediaTask.signal(call.callId(), from.subject(), from.role(),
                    from.region(), signal));
        }
    }

    private void signalHere(CallRecord call, Subject subject, Role role, String region,
                            ClientMessage.CallSignal signal) {
        media.signal(call, subject, role, region, signal, () -> {
            if (call.state() == CallState.CONNECTING) {
                long now = clock.millis();
                update(call.callId(), r -> r.state() == CallState.CONNECTING ? r.connected(now) : null);
            }
        });
    }

    /**
     * Media work another node handed here. Runs on a worker thread; errors go to the participant as an
     * {@code error} event with the id of their {@code call.signal} (they already had its {@code ack}).
     */
    public void handle(MediaTask task) {
        Optional<CallRecord> call = records.get(task.callId());
        if (call.isEmpty()) {
            return;
        }
        try {
            switch (task.kind()) {
                case SIGNAL -> {
                    CallRecord live = call.filter(r -> r.state().live() && r.participants().contains(task.subject()))
                            .orElseThrow(() -> new ProtocolException(ErrorCode.INVALID_STATE, "the call has ended"));
                    signalHere(live, task.subject(), task.role(), task.region(), task.signal());
                }
                case LEFT -> media.left(call.get(), task.subject());
                case ENDED -> media.ended(call.get());
                case RESUMED -> media.resumed(call.get(), task.subject());
                case AWAY -> media.away(call.get(), task.subject());
            }
        } catch (ProtocolException e) {
            if (task.subject() != null) {
                router.send(task.subject(), new ServerMessage.Error(task.signalId(), e.code().wire(), e.getMessage()));
            }
        } catch (RuntimeException e) {
            log.warn("call {}: handed-over media work {} failed: {}", task.callId(), task.kind(), e.toString());
        }
    }

    /**
     * Node {@code deadNode} was claimed dead by this node (exactly one survivor claims each): this node becomes the
     * media node of every live call that node held, each moved by a compare-and-set on the call's record (so a
     * call that ended or moved meanwhile is left alone), and the media negotiator takes each up from the state that
     * node stored. Calls of other nodes are not touched. Runs on a worker thread.
     */
    public void mediaNodeDied(String deadNode) {
        if (!media.nodeLocal() || deadNode.equals(nodeId)) {
            return;
        }
        int taken = 0;
        for (CallRecord call : records.live(TAKEOVER_SCAN)) {
            if (!deadNode.equals(call.mediaNode())) {
                continue;
            }
            try {
                Optional<CallRecord> moved = update(call.callId(),
                        r -> r.state().live() && deadNode.equals(r.mediaNode()) ? r.withMediaNode(nodeId) : null);
                if (moved.isPresent()) {
                    taken++;
                    media.takeOver(moved.get());
                }
            } catch (RuntimeException e) {
                log.warn("call {}: taking its media over from node {} failed: {}", call.callId(), deadNode, e.toString());
            }
        }
        if (taken > 0) {
            log.info("node {} died: this node took over the media of {} call(s)", deadNode, taken);
        }
    }

    /** Whether this node holds the call's media state (always, for a negotiator that keeps none). */
    private boolean mediaHere(CallRecord call) {
        return !media.nodeLocal() || call.mediaNode() == null || call.mediaNode().equals(nodeId);
    }

    private void mediaLeft(CallRecord call, Subject subject) {
        if (mediaHere(call)) {
            media.left(call, subject);
        } else {
            handoff.forward(call.mediaNode(), MediaTask.of(MediaTask.Kind.LEFT, call.callId(), subject));
        }
    }

    /**
     * A party hangs up: everyone is told, the caller in reply to their request. A supervisor just leaves. The
     * store step is not waited for: the stage completes on {@code afterStore} (or at once in memory).
     */
    public CompletionStage<ServerMessage.CallEnded> hangup(Principal from, CallId callId, String replyId) {
        if (from.role() == Role.SUPERVISOR && records.get(callId).filter(r -> r.isSupervisor(from.subject())).isPresent()) {
            return CompletableFuture.completedFuture(leave(from, callId, replyId));
        }
        CallRecord call = liveCallToChange(from, callId);
        EndReason reason = from.subject().equals(call.customerId()) ? EndReason.CUSTOMER_HANGUP : EndReason.STAFF_HANGUP;
        return end(callId, reason, from.subject(), r -> r.isParty(from.subject()), routing::endCall, afterStore)
                .thenApply(ended -> ended.map(e -> new ServerMessage.CallEnded(replyId, e.callId(), e.endReason().wire(),
                                times(e)))
                        .orElseThrow(() -> new ProtocolException(ErrorCode.INVALID_STATE, "the call has already ended")));
    }

    /**
     * Ends a live call with the reason; tells both parties except {@code quietSubject} (who gets a reply
     * instead, or is gone). Empty if it was not live (someone else ended it first). Waits for the store here.
     */
    public Optional<CallRecord> end(CallId callId, EndReason reason, Subject quietSubject) {
        // Each store step waited for on this thread, and what follows run here too (the direct executor).
        return Stages.await(end(callId, reason, quietSubject, r -> true,
                (live, ended) -> Stages.now(() -> Stages.await(routing.endCall(live, ended))), Runnable::run));
    }

    /**
     * {@link #end}, only while {@code stillTheirs} holds for the stored record (the caller is still a party), with
     * the store step made by {@code endCall} and what follows it run on {@code afterStore}.
     */
    private CompletionStage<Optional<CallRecord>> end(CallId callId, EndReason reason, Subject quietSubject,
                                                      Predicate<CallRecord> stillTheirs,
                                                      CallRecords.AsyncWrite<RoutingSteps.Freed> endCall,
                                                      Executor afterStore) {
        long now = clock.millis();
        RequestId[] pendingTransfer = new RequestId[1];
        List<Subject> supervisors = new ArrayList<>();
        // The member is freed in the same store step as the state changes: should Redis fail during what
        // follows (a failover), a lost notice is the damage, not a member kept at capacity by a call that is over.
        return records.update(callId, r -> {
            if (!r.state().live() || !stillTheirs.test(r)) {
                return null;
            }
            pendingTransfer[0] = r.transferRequestId();
            supervisors.clear();
            supervisors.addAll(r.supervisorIds());
            return r.ended(reason, now);
        }, endCall, afterStore).thenApply(changed -> {
            changed.ifPresent(ended -> ended(ended, reason, quietSubject, pendingTransfer[0], supervisors));
            return changed.map(CallRecords.Changed::record);
        });
    }

    /** Tells everyone of a call that {@link #end} ended, and what its staff member was freed to. */
    private void ended(CallRecords.Changed<RoutingSteps.Freed> ended, EndReason reason, Subject quietSubject,
                       RequestId pendingTransfer, List<Subject> supervisors) {
        CallRecord call = ended.record();
        CallId callId = call.callId();
        metrics.callEnded(reason.wire());
        try {
            if (mediaHere(call)) {
                media.ended(call);
            } else {
                handoff.forward(call.mediaNode(), MediaTask.of(MediaTask.Kind.ENDED, callId, null));
            }
            var notice = new ServerMessage.CallEnded(null, callId, reason.wire(), times(call));
            List<Subject> told = new ArrayList<>(List.of(call.customerId(), call.staffId()));
            told.addAll(supervisors);
            for (Subject party : told) {
                if (!party.equals(quietSubject)) {
                    router.send(party, notice);
                }
            }
            if (pendingTransfer != null) {
                routing.cancelTransfer(pendingTransfer);
            }
        } finally {
            // The store step may already have offered the member their next request: should a notice fail
            // (Redis failing over), the offer must still reach them, or it rings out and sets them away.
            routing.announce(ended.outcome());
        }
    }

    /**
     * {@link #liveCallFor} for a change that is compare-and-set against the store anyway (a hang-up): the
     * record this node knows is trusted when it says the caller is in the live call, saving a read; a stale
     * one only makes the change find the call already ended.
     */
    private CallRecord liveCallToChange(Principal caller, CallId callId) {
        return records.known().get(callId)
                .filter(r -> r.state().live() && (r.isParty(caller.subject()) || r.isSupervisor(caller.subject())))
                .orElseGet(() -> liveCallFor(caller, callId));
    }

    private CallRecord liveCallFor(Principal caller, CallId callId) {
        CallRecord call = records.get(callId)
                .filter(r -> r.isParty(caller.subject()) || r.isSupervisor(caller.subject()))
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such call"));
        if (!call.state().live()) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the call is " + call.state().wire());
        }
        return call;
    }
}
