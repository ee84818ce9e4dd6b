package io.livedesk.signaling.routing;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.presence.PresenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * {@link RoutingSteps} as the stores' own operations one after another: for stores where each costs no
 * round trip (in memory). Not atomic across the stores, which one node's memory does not need: every change
 * is still one atomic store operation, and a step's later operations check what earlier ones did. Its stages
 * are complete when returned.
 */
public final class SeparateRoutingSteps implements RoutingSteps {
    private static final Logger log = LoggerFactory.getLogger(SeparateRoutingSteps.class);
    private final RoutingStore routing;
    private final CallStore calls;
    private final PresenceStore presence;

    public SeparateRoutingSteps(RoutingStore routing, CallStore calls, PresenceStore presence) {
        this.routing = routing;
        this.calls = calls;
        this.presence = presence;
    }

    @Override
    public CompletionStage<Opened> open(ServiceRequest request, CallRecord queued, long nowMs, long ringMs) {
        return Stages.now(() -> openNow(request, queued, nowMs, ringMs));
    }

    private Opened openNow(ServiceRequest request, CallRecord queued, long nowMs, long ringMs) {
        if (routing.openRequestOf(request.customerId()).isPresent() || calls.liveCallOf(request.customerId()).isPresent()) {
            throw new IllegalStateException("customer already has an open request or call");
        }
        calls.create(queued);
        int place;
        try {
            place = routing.enqueue(request);
        } catch (RuntimeException e) {
            // Never queued: the record made for it must not stay QUEUED in the call history.
            try {
                calls.compareAndSet(queued, queued.ended(EndReason.CUSTOMER_CANCELLED, nowMs));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        try {
            return new Opened(place, routing.matchRequest(request.id(), nowMs, ringMs).flatMap(o -> made(o, request)));
        } catch (RuntimeException e) {
            // Queued all the same: the routing sweep offers it, as it does any request no event matched.
            log.warn("offering request {} at once failed; the routing sweep offers it: {}", request.id(), e.toString());
            return new Opened(place, Optional.empty());
        }
    }

    @Override
    public CompletionStage<AcceptOutcome> accept(RequestId requestId, Subject staffId, long nowMs, CallRecord expected,
                                                 LongFunction<CallRecord> answered) {
        return Stages.now(() -> acceptNow(requestId, staffId, nowMs, expected, answered));
    }

    private AcceptOutcome acceptNow(RequestId requestId, Subject staffId, long nowMs, CallRecord expected,
                                    LongFunction<CallRecord> answered) {
        Optional<Accepted> accepted = routing.accept(requestId, staffId, nowMs);
        if (accepted.isEmpty()) {
            return new AcceptOutcome.NotOffered();
        }
        CallRecord call = answered.apply(accepted.get().offer().offeredAtMs());
        return calls.compareAndSet(expected, call) ? new AcceptOutcome.Started(accepted.get(), call)
                : new AcceptOutcome.AcceptedOnly(accepted.get());
    }

    @Override
    public CompletionStage<Optional<Freed>> endCall(CallRecord live, CallRecord ended, long nowMs, long ringMs,
                                                    boolean offerNext) {
        return Stages.now(() -> endCallNow(live, ended, nowMs, ringMs, offerNext));
    }

    private Optional<Freed> endCallNow(CallRecord live, CallRecord ended, long nowMs, long ringMs, boolean offerNext) {
        if (!calls.compareAndSet(live, ended)) {
            return Optional.empty();
        }
        var staffId = ended.staffId();
        routing.callEnded(staffId, nowMs);
        Optional<OfferMade> next = offerNext
                ? routing.matchStaff(staffId, nowMs, ringMs).flatMap(o -> routing.request(o.requestId()).flatMap(r -> made(o, r)))
                : Optional.empty();
        return Optional.of(new Freed(staffId, next.map(OfferMade::member).or(() -> presence.get(staffId)), offerNext, next));
    }

    /** Empty when the member went in between (removed): the offer is then the sweep's to ring out. */
    private Optional<OfferMade> made(Offer offer, ServiceRequest request) {
        return presence.get(offer.staffId()).map(m -> new OfferMade(offer, request, m));
    }
}
