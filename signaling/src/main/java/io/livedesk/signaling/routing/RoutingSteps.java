package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.presence.StaffPresence;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * The two steps every routed call takes that change routing and the call's record together, each one store
 * operation where the store can make it one: in Redis one Lua script, so one round trip from the node
 * ({@code RedisRoutingSteps}); in memory the stores' own operations in turn ({@code SeparateRoutingSteps}).
 * Each answers with what telling its outcome needs, so nothing has to be read back. Both implementations pass
 * {@code RoutingStepsContract}.
 */
public interface RoutingSteps {

    /**
     * A customer's new request. Refused with IllegalStateException, changing nothing, when the customer has
     * a live call or an open request (or the id is taken): the stage fails with it. Otherwise the call's QUEUED record is created, the
     * request enqueued as {@link RoutingStore#enqueue} does and, when a member can take it, offered at once as
     * {@link RoutingStore#matchRequest} does.
     */
    CompletionStage<Opened> open(ServiceRequest request, CallRecord queued, long nowMs, long ringMs);

    /** @param place the request's 1-based place in its queue when it was queued (before any offer) */
    record Opened(int place, Optional<OfferMade> offer) {
    }

    /**
     * A staff member accepts the offer of a customer's request and its call starts, in one step: only when the
     * request is offered to them and unexpired (as {@link RoutingStore#accept}) and the call's record is still
     * {@code expected} (as {@code CallStore.compareAndSet} compares); then the request leaves routing and the
     * record becomes {@code answered.apply(offeredAtMs)}, the offer's time being what only the store knows.
     */
    CompletionStage<AcceptOutcome> accept(RequestId requestId, Subject staffId, long nowMs, CallRecord expected,
                                          LongFunction<CallRecord> answered);

    /** How {@link #accept} went. */
    sealed interface AcceptOutcome {
        /** Not offered to them, or the offer expired: nothing changed. */
        record NotOffered() implements AcceptOutcome {
        }

        /** The record was not {@code expected}: nothing changed; read it again and retry. */
        record RecordChanged() implements AcceptOutcome {
        }

        /** The request is theirs and the call's record is {@code call}. */
        record Started(Accepted accepted, CallRecord call) implements AcceptOutcome {
        }

        /**
         * The request is theirs but the record changed between the two stores' operations (only where a step
         * is not one store operation): the caller changes the record as any update, knowing the offer.
         */
        record AcceptedOnly(Accepted accepted) implements AcceptOutcome {
        }
    }

    /**
     * A live call ends: its record is replaced as {@code CallStore.compareAndSet} would; if that lands, the
     * call's staff member's load goes down as {@link RoutingStore#callEnded} and, with {@code offerNext}, they
     * are offered their next request as {@link RoutingStore#matchStaff}. Empty when the record changed first
     * (then nothing is done).
     */
    CompletionStage<Optional<Freed>> endCall(CallRecord live, CallRecord ended, long nowMs, long ringMs, boolean offerNext);

    /**
     * @param member  the staff member as they are now (empty if no longer known)
     * @param matched whether they were matched with waiting work in the step ({@code offerNext})
     * @param next    the offer made to them, if any
     */
    record Freed(Subject staffId, Optional<StaffPresence> member, boolean matched, Optional<OfferMade> next) {
    }
}
