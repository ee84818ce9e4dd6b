package io.livedesk.signaling.routing;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.BroadcastOrigin;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallRecords;
import io.livedesk.signaling.call.CallRouting;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage.QueueState;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.server.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * The contact-centre core: puts customers' requests in queues, offers each to the best staff member
 * with a ring timeout, re-offers on decline or timeout, and keeps customers told of their place.
 * Every decision that must hold across nodes is one atomic {@link RoutingStore} call; this class only
 * reacts to their outcomes, so any node may act on any request.
 */
public final class RoutingService implements CallRouting {
    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);
    private static final int SWEEP_BATCH = 200;

    private final RoutingStore store;
    private final RoutingSteps steps;
    private final PresenceService presence;
    private final CallRecords calls;
    private final MessageRouter router;
    private final LiveDeskConfig.Routing config;
    private final QueueOrder order;
    private final WaitEstimator estimator;
    private final ServiceHours hours;
    private final Clock clock;
    private final Metrics metrics;
    private final Executor afterStore;

    /**
     * @param steps      the steps that change routing and call records together, over the same stores
     * @param afterStore where work goes on once a step answers (never a store's I/O thread): the workers
     */
    public RoutingService(RoutingStore store, RoutingSteps steps, PresenceService presence, CallRecords calls,
                          MessageRouter router, LiveDeskConfig.Routing config, ServiceHours hours, Clock clock,
                          Metrics metrics, Executor afterStore) {
        this.afterStore = afterStore;
        this.hours = hours;
        this.store = store;
        this.steps = steps;
        this.presence = presence;
        this.calls = calls;
        this.router = router;
        this.config = config;
        this.order = new QueueOrder(config.escalationStep().toMillis());
        this.estimator = new WaitEstimator(config.averageHandleTime());
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * A customer's own request is refused outside its queue's opening hours (the widget offers a callback
     * instead); transfers between staff are not, as staff still on duty may finish the day's work.
     */
    private void requireOpen(String topic) {
        if (!hours.isOpen(topic)) {
            throw new ProtocolException(ErrorCode.CLOSED, "this queue is closed now"
                    + hours.nextOpening(topic).map(at -> "; it opens at " + at).orElse(""));
        }
    }

    private void requireQueue(String topic, String language) {
        requireQueue(config, topic, language);
    }

    /** Fails with the protocol's error unless {@code topic} and {@code language} make a configured queue. */
    public static void requireQueue(LiveDeskConfig.Routing config, String topic, String language) {
        if (!config.hasTopic(topic)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_TOPIC, "no queue for topic \"" + topic + "\"");
        }
        if (!config.languages().contains(language)) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_LANGUAGE, "language \"" + language + "\" is not served");
        }
    }

    /**
     * A customer's new request, opened in one store step without waiting for it: the stage completes on a
     * worker with the request queued (and maybe offered: tell it with {@link #announce(Queued)} after the
     * reply), or fails (invalid_state when the customer already has a request or a call).
     */
    public CompletionStage<Queued> create(Principal customer, ClientMessage.RequestCreate m) {
        if (m.priority() > customer.maxPriority()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "priority above " + customer.maxPriority() + " is not allowed for this caller");
        }
        return open(m.id(), customer.subject(), customer.name(), m.topic(), m.language(), m.priority(),
                new CallRecord.Asked(m.context(), null, customer.identified()));
    }

    /**
     * A viewer's "consult now": a request in the topic's queue carrying where it came from, under the name
     * the viewer gave (or their token's); kept in their history when their token identifies them.
     */
    public CompletionStage<Queued> consult(String replyId, Principal viewer, String name, String topic, String language,
                          BroadcastOrigin origin) {
        return open(replyId, viewer.subject(), name, topic, language, 0, new CallRecord.Asked(Map.of(), origin,
                viewer.identified()));
    }

    private CompletionStage<Queued> open(String replyId, Subject customer, String name, String topic, String language,
                                         int priority, CallRecord.Asked asked) {
        requireQueue(topic, language);
        requireOpen(topic);
        long now = clock.millis();
        RequestId id = RequestId.newCustomerRequest();
        ServiceRequest request = new ServiceRequest(id, customer, name, topic, language, priority, asked.context(), now,
                order.rank(now, priority), null, asked.origin());
        CallRecord record = CallRecord.queued(request.callId(), customer, name, topic, language, priority, asked, now);
        CompletionStage<RoutingSteps.Opened> step = steps.open(request, record, now, config.ringTimeout().toMillis());
        return Stages.handleOn(step, afterStore, (opened, failure) -> {
            if (failure != null) {
                RuntimeException cause = Stages.unchecked(failure);
                throw cause instanceof IllegalStateException
                        ? new ProtocolException(ErrorCode.INVALID_STATE, "you already have an open request or call")
                        : cause;
            }
            calls.known().remember(record);
            calls.events().requestOpened();
            metrics.requestCreated();
            int position = opened.place();
            return new Queued(request, new ServerMessage.RequestQueued(replyId, id, topic, language,
                    QueueState.WAITING, position, estimator.etaSeconds(topic, position)), opened.offer());
        });
    }

    /**
     * Tells the offer a new request got when it was opened, if it got one: after the customer has been told
     * it is queued.
     */
    public void announce(Queued queued) {
        queued.offer().ifPresent(this::offered);
    }

    /**
     * A transfer waits in the target queue with the call's original enqueue time, so the customer, who
     * has waited once already, goes ahead of those who came later. It carries the customer's context, so
     * the next staff member's offer shows what the first one's did.
     */
    @Override
    public RequestId enqueueTransfer(CallRecord call, String topic, String language, String fromStaffName) {
        requireQueue(topic, language);
        return enqueueTransfer(call, topic, language, Transfer.toQueue(call.callId(), fromStaffName));
    }

    @Override
    public RequestId enqueueTransferTo(CallRecord call, Subject staffId, String fromStaffName) {
        // Shown with the call's own topic; it waits in no queue, so only offerTransfer reaches it.
        return enqueueTransfer(call, call.topic(), call.language(),
                Transfer.toColleague(call.callId(), fromStaffName, staffId));
    }

    private RequestId enqueueTransfer(CallRecord call, String topic, String language, Transfer transfer) {
        RequestId id = RequestId.newTransfer();
        ServiceRequest request = new ServiceRequest(id, call.customerId(), call.customerName(), topic, language,
                call.priority(), call.asked().context(), clock.millis(), order.rank(call.enqueuedAtMs(), call.priority()),
                transfer);
        try {
            store.enqueue(request);
        } catch (IllegalStateException e) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the customer already has a request waiting");
        }
        return id;
    }

    @Override
    public boolean offerTransfer(RequestId requestId) {
        Optional<Subject> colleague = store.request(requestId).map(ServiceRequest::transfer).map(Transfer::colleagueId);
        if (colleague.isEmpty()) {
            matchNew(requestId);
            return true;
        }
        Optional<Offer> offer = store.offerTo(requestId, colleague.get(), clock.millis(), config.ringTimeout().toMillis());
        offer.ifPresent(this::offered);
        return offer.isPresent();
    }

    @Override
    public void cancelTransfer(RequestId requestId) {
        cancel(requestId, EndReason.STAFF_HANGUP);
    }

    /** Tries to offer a new request at once (after the customer has been told it is queued). */
    public void matchNew(RequestId requestId) {
        store.matchRequest(requestId, clock.millis(), config.ringTimeout().toMillis()).ifPresent(this::offered);
    }

    /** The customer's open request, and as the protocol shows it, for resume. */
    public Optional<Queued> openRequestOf(Subject customerId) {
        return store.openRequestOf(customerId).flatMap(store::request).filter(r -> !r.isTransfer()).map(r -> {
            Optional<Integer> position = store.position(r.id());
            return new Queued(r, new ServerMessage.RequestQueued(null, r.id(), r.topic(), r.language(),
                    position.isPresent() ? QueueState.WAITING : QueueState.RINGING, position.orElse(0),
                    estimator.etaSeconds(r.topic(), position.orElse(0))));
        });
    }

    /**
     * Puts a customer's request back in its queue after the store lost its data, with its original enqueue
     * time and rank, so it keeps its place. Returns false when it is there already (put back meanwhile) or
     * the customer has another open request.
     */
    public boolean restore(ServiceRequest request) {
        try {
            store.enqueue(request);
            return true;
        } catch (IllegalStateException alreadyThere) {
            return false;
        }
    }

    /** Sets a member's load to their live calls after the store lost its data (see RoutingStore). */
    public void restoreLoad(Subject staffId, int liveCalls) {
        store.restoreLoad(staffId, liveCalls);
    }

    public ServerMessage.RequestCancelled cancel(Principal customer, ClientMessage.RequestCancel m) {
        ServiceRequest request = store.request(m.requestId())
                .filter(r -> r.customerId().equals(customer.subject()))
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no open request with that id"));
        cancel(request.id(), EndReason.CUSTOMER_CANCELLED);
        return new ServerMessage.RequestCancelled(m.id(), request.id(), EndReason.CUSTOMER_CANCELLED.wire());
    }

    /** Takes a customer's open request out of routing (cancel, disconnect, shutdown); revokes its offer. */
    public boolean cancel(RequestId requestId, EndReason reason) {
        long now = clock.millis();
        Optional<Cancelled> cancelled = store.cancel(requestId, now);
        cancelled.ifPresent(c -> {
            boolean transfer = c.request().isTransfer();
            if (reason != EndReason.CUSTOMER_CANCELLED && !transfer) {
                router.send(c.request().customerId(), new ServerMessage.RequestCancelled(null, requestId, reason.wire()));
            }
            c.revokedOffer().ifPresent(o -> {
                router.send(o.staffId(), new ServerMessage.OfferRevoked(requestId, "cancelled"));
                staffFreed(o.staffId());
            });
            if (!transfer) {
                calls.update(c.request().callId(), r -> r.state().live() || r.state() == CallState.ENDED
                        ? null : r.ended(reason, now));
                metrics.callEnded(reason.wire());
            }
        });
        return cancelled.isPresent();
    }

    /** The offer as its member is shown it at {@code nowMs}: ringing for the time it has left. */
    private static ServerMessage.Offer offerMessage(ServiceRequest r, Offer offer, long nowMs) {
        ServerMessage.TransferView transfer = r.isTransfer() ? new ServerMessage.TransferView(r.transfer().callId(),
                r.transfer().fromStaffName(), r.transfer().colleagueId()) : null;
        return new ServerMessage.Offer(r.id(), r.topic(), r.language(), r.priority(),
                new ServerMessage.CustomerView(r.customerName()), r.context(), transfer, r.origin(),
                offer.offeredAtMs() - r.enqueuedAtMs(), Math.max(0, offer.expiresAtMs() - nowMs));
    }

    /** The offers still ringing at a member, as they would be shown now (a member back within grace). */
    public List<ServerMessage.Offer> ringingOffers(Subject staffId) {
        long now = clock.millis();
        List<ServerMessage.Offer> out = new ArrayList<>();
        for (Offer offer : store.ringingOffersTo(staffId, now)) {
            store.request(offer.requestId()).ifPresent(r -> out.add(offerMessage(r, offer, now)));
        }
        return out;
    }

    /** Whether the request is still in routing (waiting or ringing). */
    public boolean routes(RequestId requestId) {
        return store.request(requestId).isPresent();
    }

    @Override
    public CompletionStage<RoutingSteps.AcceptOutcome> acceptCall(RequestId requestId, Subject staffId,
                                                                  CallRecord expected, LongFunction<CallRecord> answered) {
        return steps.accept(requestId, staffId, clock.millis(), expected, answered);
    }

    @Override
    public Accepted accept(Principal staff, ClientMessage.OfferAccept m) {
        return store.accept(m.requestId(), staff.subject(), clock.millis())
                .orElseThrow(() -> new ProtocolException(ErrorCode.OFFER_EXPIRED, "that offer is no longer open"));
    }

    public ServerMessage.OfferDeclined decline(Principal staff, ClientMessage.OfferDecline m) {
        if (!release(m.requestId(), staff.subject(), ReleaseReason.DECLINED, false)) {
            throw new ProtocolException(ErrorCode.OFFER_EXPIRED, "that offer is no longer open");
        }
        offerWorkTo(staff.subject());
        return new ServerMessage.OfferDeclined(m.id(), m.requestId());
    }

    /** An offer rang out. Idempotent: whichever node's sweep sees it first releases it. */
    void ringOut(Offer offer) {
        // Away in the same store step as the release: a request arriving in between must not reach them.
        if (!release(offer.requestId(), offer.staffId(), ReleaseReason.TIMEOUT, config.awayOnMissedOffer())) {
            return;
        }
        router.send(offer.staffId(), new ServerMessage.OfferRevoked(offer.requestId(), "timeout"));
        presence.notifyMember(offer.staffId());
    }

    private boolean release(RequestId requestId, Subject staffId, ReleaseReason reason, boolean memberAway) {
        long now = clock.millis();
        if (!store.release(requestId, staffId, reason, now, config.reofferDelay().toMillis(), memberAway)) {
            return false;
        }
        calls.events().offerReleased(staffId, reason == ReleaseReason.DECLINED);
        Optional<ServiceRequest> request = store.request(requestId);
        if (request.map(r -> r.isTransfer() && r.transfer().toNamedColleague()).orElse(false)) {
            // Meant for this colleague only: it ends here, and the staff member asking is told.
            presence.notifyMember(staffId);
            cancel(requestId, EndReason.STAFF_HANGUP);
            transferFailed(request.get().transfer().callId(), requestId,
                    reason == ReleaseReason.DECLINED ? "declined" : "timeout");
            return true;
        }
        presence.notifyMember(staffId);
        store.request(requestId).filter(r -> !r.isTransfer())
                .ifPresent(r -> tellPosition(r.customerId(), requestId, r.topic()));
        store.matchRequest(requestId, now, config.ringTimeout().toMillis()).ifPresent(this::offered);
        return true;
    }

    /**
     * A transfer to a named colleague ended without them (declined, rang out): the call stays with its staff
     * member, who is told and may try again.
     */
    private void transferFailed(CallId callId, RequestId requestId, String reason) {
        calls.update(callId, r -> r.state().live() && requestId.equals(r.transferRequestId()) ? r.transferCancelled() : null)
                .ifPresent(call -> router.send(call.staffId(), new ServerMessage.CallTransferFailed(callId, reason)));
    }

    @Override
    public void callEnded(Subject staffId) {
        releaseLoad(staffId);
        staffFreed(staffId);
    }

    @Override
    public void releaseLoad(Subject staffId) {
        store.callEnded(staffId, clock.millis());
    }

    @Override
    public CompletionStage<Optional<RoutingSteps.Freed>> endCall(CallRecord live, CallRecord ended) {
        // A transfer under way is called off first (by the caller), so its own member is not offered it.
        return steps.endCall(live, ended, clock.millis(), config.ringTimeout().toMillis(), live.transferRequestId() == null);
    }

    @Override
    public void announce(RoutingSteps.Freed freed) {
        freed.member().ifPresent(presence::tell);
        if (freed.next().isPresent()) {
            offered(freed.next().get());
        } else if (!freed.matched()) {
            offerWorkTo(freed.staffId()); // a transfer of the call was under way: called off now, so look again
        }
    }

    /** The member became free (available, or a call or offer ended): tell them and offer them work. */
    @Override
    public void staffFreed(Subject staffId) {
        presence.notifyMember(staffId);
        offerWorkTo(staffId);
    }

    public void offerWorkTo(Subject staffId) {
        store.matchStaff(staffId, clock.millis(), config.ringTimeout().toMillis()).ifPresent(this::offered);
    }

    private void offered(Offer offer) {
        Optional<ServiceRequest> request = store.request(offer.requestId());
        Optional<StaffPresence> staff = presence.get(offer.staffId()); // read after the match: its load counts the offer
        if (request.isEmpty() || staff.isEmpty()) {
            return; // cancelled between the match and now; the cancel released the member
        }
        offered(new OfferMade(offer, request.get(), staff.get()));
    }

    /**
     * Tells an offer: the member gets it and their presence, the customer hears it rings. The call's record
     * does not follow offers (routing holds them); it changes when the offer is accepted.
     */
    private void offered(OfferMade made) {
        Offer offer = made.offer();
        ServiceRequest r = made.request();
        metrics.offered(offer.first() && !r.isTransfer() ? offer.offeredAtMs() - r.enqueuedAtMs() : -1);
        router.send(offer.staffId(), offerMessage(r, offer, offer.offeredAtMs()));
        presence.tell(made.member());
        if (!r.isTransfer()) {
            router.send(r.customerId(), new ServerMessage.QueueUpdate(r.id(), QueueState.RINGING, 0, 0));
        }
    }

    private void tellPosition(Subject customerId, RequestId requestId, String topic) {
        store.position(requestId).ifPresent(p -> router.send(customerId,
                new ServerMessage.QueueUpdate(requestId, QueueState.WAITING, p, estimator.etaSeconds(topic, p))));
    }

    /**
     * Periodic work of every node: ring out expired offers (whoever made them), offer work to this node's
     * free staff (catches re-offer delays that passed and matches missed by a lost event), tell this node's
     * waiting customers places that moved, and refresh the wait estimates.
     *
     * @param storeUnchanged asked after a waiting customer's request was found gone: whether the store still
     *                       holds its data, so the request really left (rather than was lost with the store,
     *                       when the customer's connection must keep it to be put back)
     */
    public void sweep(Collection<Subject> localStaff, Collection<? extends WaitingCustomer> localWaiting,
                      BooleanSupplier storeUnchanged) {
        long now = clock.millis();
        for (Offer expired : store.expiredOffers(now, SWEEP_BATCH)) {
            try {
                ringOut(expired);
            } catch (RuntimeException e) {
                log.warn("ringing out offer {} failed: {}", expired.requestId(), e.toString());
            }
        }
        if (!localStaff.isEmpty()) {
            for (Offer offer : store.matchEachStaff(localStaff, now, config.ringTimeout().toMillis())) {
                offered(offer);
            }
        }
        tellPlaces(List.copyOf(localWaiting), storeUnchanged);
        estimator.refresh(presence.list());
    }

    /**
     * Ringing and back-to-waiting are told when they happen; the sweep tells places that moved, in one store
     * step for all the node's waiting customers, and lets go of customers who have no open request any more.
     */
    private void tellPlaces(List<? extends WaitingCustomer> waiting, BooleanSupplier storeUnchanged) {
        if (waiting.isEmpty()) {
            return;
        }
        Map<Subject, RoutingStore.Standing> standings = store.standings(waiting.stream().map(WaitingCustomer::customerId).toList());
        List<WaitingCustomer> gone = new ArrayList<>();
        for (WaitingCustomer customer : waiting) {
            RoutingStore.Standing s = standings.get(customer.customerId());
            if (s == null) {
                gone.add(customer);
            } else if (s.position().isPresent() && waitedTooLong(customer)) {
                // Only while waiting: a request ringing at a staff member is left to be answered.
                cancel(s.requestId(), EndReason.MAX_WAIT);
            } else {
                s.position().ifPresent(p -> customer.tellPlace(new ServerMessage.QueueUpdate(s.requestId(),
                        QueueState.WAITING, p, estimator.etaSeconds(s.topic(), p))));
            }
        }
        if (!gone.isEmpty() && storeUnchanged.getAsBoolean()) {
            gone.forEach(WaitingCustomer::stopWaiting);
        }
    }

    private boolean waitedTooLong(WaitingCustomer customer) {
        long maxWaitMs = config.maxWait().toMillis();
        return maxWaitMs > 0 && clock.millis() - customer.waitingSinceMs() >= maxWaitMs;
    }

    public java.util.List<QueueStats> stats() {
        return store.stats(config.topicIds());
    }
}
