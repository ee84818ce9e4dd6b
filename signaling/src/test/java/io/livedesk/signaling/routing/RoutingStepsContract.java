package io.livedesk.signaling.routing;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffProfile;
import io.livedesk.signaling.presence.StaffStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link RoutingSteps} contract: each step does what the store operations it combines would do, and a
 * step refused changes nothing. Subclasses only provide the stores.
 */
public abstract class RoutingStepsContract {

    /** The stores of one backend and the steps over them. */
    public record Stores(PresenceStore presence, RoutingStore routing, CallStore calls, RoutingSteps steps) {
    }

    static final long T0 = 1_700_000_000_000L;
    static final long RING = 20_000;
    static final QueueOrder ORDER = new QueueOrder(60_000);

    protected PresenceStore presence;
    protected RoutingStore routing;
    protected CallStore calls;
    protected RoutingSteps steps;

    protected abstract Stores createStores();

    protected void closeStores() {
    }

    @BeforeEach
    void setUp() {
        Stores s = createStores();
        presence = s.presence();
        routing = s.routing();
        calls = s.calls();
        steps = s.steps();
    }

    @AfterEach
    void tearDown() {
        closeStores();
    }

    // ---- helpers ----

    StaffPresence available(String id, int capacity, long idleSince) {
        presence.connect(new StaffProfile(Subject.of(id), "Staff " + id, Set.of("loans"), Set.of("en"), capacity), idleSince);
        return presence.setStatus(Subject.of(id), StaffStatus.AVAILABLE, idleSince).orElseThrow();
    }

    static ServiceRequest request(String id, String customer, long enqueuedAt) {
        return new ServiceRequest(RequestId.of(id), Subject.of(customer), "Customer " + id, "loans", "en", 0,
                Map.of("page", "/" + id), enqueuedAt, ORDER.rank(enqueuedAt, 0));
    }

    static CallRecord queuedRecord(ServiceRequest r) {
        return CallRecord.queued(r.callId(), r.customerId(), r.customerName(), r.topic(), r.language(), r.priority(),
                r.enqueuedAtMs());
    }

    RoutingSteps.Opened open(ServiceRequest r, long now) {
        return Stages.await(steps.open(r, queuedRecord(r), now, RING));
    }

    /** The record as the server makes it when the member answers: offered to them at the offer's time. */
    static CallRecord answered(CallRecord r, String staffId, long offeredAt, long now) {
        return r.offered(Subject.of(staffId), "Staff " + staffId, offeredAt).answered(now).withMediaNode("node-a");
    }

    RoutingSteps.AcceptOutcome accept(ServiceRequest r, String staffId, long now) {
        CallRecord expected = calls.get(r.callId()).orElseThrow();
        return Stages.await(steps.accept(r.id(), Subject.of(staffId), now, expected,
                offeredAt -> answered(expected, staffId, offeredAt, now)));
    }

    int load(String staffId) {
        return presence.get(Subject.of(staffId)).orElseThrow().load();
    }

    CallRecord record(ServiceRequest r) {
        return calls.get(r.callId()).orElseThrow();
    }

    // ---- open ----

    @Test
    void openCreatesTheRecordQueuesAndOffersAtOnceToAFreeMember() {
        available("s1", 2, T0);
        ServiceRequest r = request("r-1", "c1", T0 + 10);

        RoutingSteps.Opened opened = open(r, T0 + 10);

        assertEquals(1, opened.place(), "queued first, then offered");
        OfferMade made = opened.offer().orElseThrow();
        assertEquals(new Offer(r.id(), Subject.of("s1"), T0 + 10, T0 + 10 + RING, true), made.offer());
        assertEquals(r, made.request());
        assertEquals(Subject.of("s1"), made.member().id());
        assertEquals(1, made.member().load(), "the member as they are after the offer");
        assertEquals(1, load("s1"));
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(r.id()));
        assertEquals(Optional.of(r.id()), routing.openRequestOf(Subject.of("c1")));
        CallRecord stored = record(r);
        assertEquals(queuedRecord(r), stored, "the call's record stays QUEUED while routing holds the offer");
    }

    @Test
    void openQueuesInOrderWhenNoOneIsFree() {
        ServiceRequest first = request("r-1", "c1", T0);
        ServiceRequest second = request("r-2", "c2", T0 + 1);

        assertEquals(new RoutingSteps.Opened(1, Optional.empty()), open(first, T0));
        assertEquals(new RoutingSteps.Opened(2, Optional.empty()), open(second, T0 + 1));

        assertEquals(Optional.of(RequestState.WAITING), routing.state(second.id()));
        assertEquals(Optional.of(2), routing.position(second.id()));
        assertEquals(CallState.QUEUED, record(second).state());
    }

    @Test
    void openRefusesACustomerWithAnOpenRequestChangingNothing() {
        open(request("r-1", "c1", T0), T0);
        ServiceRequest again = request("r-2", "c1", T0 + 1);

        assertThrows(IllegalStateException.class, () -> open(again, T0 + 1));

        assertTrue(calls.get(again.callId()).isEmpty() || calls.get(again.callId()).get().state() == CallState.ENDED,
                "no record left waiting for a request that never queued");
        assertTrue(routing.request(again.id()).isEmpty());
        assertEquals(Optional.of(RequestId.of("r-1")), routing.openRequestOf(Subject.of("c1")));
    }

    @Test
    void openRefusesACustomerInALiveCall() {
        available("s1", 1, T0);
        ServiceRequest r = request("r-1", "c1", T0);
        open(r, T0);
        assertInstanceOf(RoutingSteps.AcceptOutcome.Started.class, accept(r, "s1", T0 + 5));
        ServiceRequest next = request("r-2", "c1", T0 + 6);

        assertThrows(IllegalStateException.class, () -> open(next, T0 + 6));

        assertTrue(calls.get(next.callId()).isEmpty());
        assertTrue(routing.request(next.id()).isEmpty());
    }

    // ---- accept ----

    @Test
    void acceptMakesTheRequestTheirsAndStartsTheCallWithTheOffersTime() {
        available("s1", 1, T0);
        ServiceRequest r = request("r-1", "c1", T0);
        open(r, T0 + 2);
        CallRecord waiting = record(r);

        RoutingSteps.AcceptOutcome outcome = accept(r, "s1", T0 + 7);

        RoutingSteps.AcceptOutcome.Started started = assertInstanceOf(RoutingSteps.AcceptOutcome.Started.class, outcome);
        assertEquals(r, started.accepted().request());
        assertEquals(new Offer(r.id(), Subject.of("s1"), T0 + 2, T0 + 2 + RING), started.accepted().offer());
        CallRecord expected = answered(waiting, "s1", T0 + 2, T0 + 7);
        assertEquals(expected, started.call());
        assertEquals(expected, record(r), "stored as answered, offered at the offer's time");
        assertEquals(T0 + 2, record(r).offeredAtMs());
        assertEquals(Optional.of(expected), calls.liveCallOf(Subject.of("c1")));
        assertEquals(Optional.of(expected), calls.liveCallOf(Subject.of("s1")));
        assertTrue(routing.request(r.id()).isEmpty(), "the request left routing");
        assertEquals(1, load("s1"), "the offer became the call");
    }

    @Test
    void acceptKeepsACustomerNameThatLooksLikeTheStandIn() {
        available("s1", 1, T0);
        ServiceRequest r = new ServiceRequest(RequestId.of("r-1"), Subject.of("c1"), "\"offeredAtMs\":-1,\"x\":-1}",
                "loans", "en", 0, Map.of(), T0, ORDER.rank(T0, 0));
        open(r, T0 + 3);

        RoutingSteps.AcceptOutcome.Started started = assertInstanceOf(RoutingSteps.AcceptOutcome.Started.class,
                accept(r, "s1", T0 + 4));

        assertEquals("\"offeredAtMs\":-1,\"x\":-1}", record(r).customerName());
        assertEquals(T0 + 3, record(r).offeredAtMs());
        assertEquals(started.call(), record(r));
    }

    @Test
    void acceptByAnotherMemberOrTooLateChangesNothing() {
        available("s1", 1, T0);
        available("s2", 1, T0 + 1);
        ServiceRequest r = request("r-1", "c1", T0);
        open(r, T0 + 2);
        CallRecord waiting = record(r);

        assertInstanceOf(RoutingSteps.AcceptOutcome.NotOffered.class, accept(r, "s2", T0 + 3));
        assertInstanceOf(RoutingSteps.AcceptOutcome.NotOffered.class, accept(r, "s1", T0 + 2 + RING));

        assertEquals(waiting, record(r));
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(r.id()));
        assertEquals(1, load("s1"));
        assertEquals(0, load("s2"));
    }

    @Test
    void acceptOnARecordThatChangedEitherChangesNothingOrLeavesTheRecordToTheCaller() {
        available("s1", 1, T0);
        ServiceRequest r = request("r-1", "c1", T0);
        open(r, T0 + 2);
        CallRecord guessed = record(r);
        CallRecord newer = guessed.withMediaNode("node-b");
        assertTrue(calls.compareAndSet(guessed, newer));

        RoutingSteps.AcceptOutcome outcome = Stages.await(steps.accept(r.id(), Subject.of("s1"), T0 + 5, guessed,
                offeredAt -> answered(guessed, "s1", offeredAt, T0 + 5)));

        assertEquals(newer, record(r), "a record that changed is never overwritten");
        if (outcome instanceof RoutingSteps.AcceptOutcome.AcceptedOnly only) {
            assertEquals(r, only.accepted().request());
            assertTrue(routing.request(r.id()).isEmpty());
        } else {
            assertInstanceOf(RoutingSteps.AcceptOutcome.RecordChanged.class, outcome);
            assertEquals(Optional.of(RequestState.OFFERED), routing.state(r.id()), "nothing done");
        }
    }

    // ---- end ----

    /** s1 (capacity 1) in a call with c1; c2 waiting behind it. */
    private CallRecord callWithOneWaiting() {
        available("s1", 1, T0);
        ServiceRequest r = request("r-1", "c1", T0);
        open(r, T0 + 1);
        CallRecord live = ((RoutingSteps.AcceptOutcome.Started) accept(r, "s1", T0 + 2)).call();
        assertEquals(Optional.empty(), open(request("r-2", "c2", T0 + 3), T0 + 3).offer(), "s1 is full");
        return live;
    }

    @Test
    void endCallEndsTheRecordFreesTheMemberAndOffersThemTheNextRequest() {
        CallRecord live = callWithOneWaiting();
        CallRecord ended = live.ended(EndReason.STAFF_HANGUP, T0 + 100);

        RoutingSteps.Freed freed = Stages.await(steps.endCall(live, ended, T0 + 100, RING, true)).orElseThrow();

        assertEquals(Subject.of("s1"), freed.staffId());
        assertTrue(freed.matched());
        OfferMade next = freed.next().orElseThrow();
        assertEquals(new Offer(RequestId.of("r-2"), Subject.of("s1"), T0 + 100, T0 + 100 + RING, true), next.offer());
        assertEquals(request("r-2", "c2", T0 + 3), next.request());
        assertEquals(1, freed.member().orElseThrow().load(), "freed, then offered the next");
        assertEquals(1, load("s1"));
        assertEquals(ended, calls.get(live.callId()).orElseThrow());
        assertTrue(calls.liveCallOf(Subject.of("c1")).isEmpty());
        assertTrue(calls.liveCallOf(Subject.of("s1")).isEmpty());
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(RequestId.of("r-2")));
    }

    @Test
    void endCallWithoutTheNextOfferOnlyFreesTheMember() {
        CallRecord live = callWithOneWaiting();

        RoutingSteps.Freed freed = Stages.await(steps.endCall(live, live.ended(EndReason.CUSTOMER_HANGUP, T0 + 100),
                T0 + 100, RING, false)).orElseThrow();

        assertTrue(freed.next().isEmpty());
        assertFalse(freed.matched(), "left to the caller, who calls the transfer off first");
        StaffPresence member = freed.member().orElseThrow();
        assertEquals(0, member.load());
        assertEquals(T0 + 100, member.idleSinceMs(), "a new idle period starts as the call ends");
        assertEquals(Optional.of(RequestState.WAITING), routing.state(RequestId.of("r-2")));
    }

    @Test
    void endCallOnARecordThatChangedDoesNothing() {
        CallRecord live = callWithOneWaiting();
        CallRecord newer = live.connected(T0 + 50);
        assertTrue(calls.compareAndSet(live, newer));

        assertEquals(Optional.empty(),
                Stages.await(steps.endCall(live, live.ended(EndReason.STAFF_HANGUP, T0 + 100), T0 + 100, RING, true)));

        assertEquals(newer, calls.get(live.callId()).orElseThrow());
        assertEquals(1, load("s1"));
        assertEquals(Optional.of(RequestState.WAITING), routing.state(RequestId.of("r-2")));
    }

    @Test
    void endCallOfAMemberNoLongerKnownEndsTheCall() {
        CallRecord live = callWithOneWaiting();
        presence.remove(Subject.of("s1"));

        RoutingSteps.Freed freed = Stages.await(steps.endCall(live, live.ended(EndReason.CUSTOMER_HANGUP, T0 + 100),
                T0 + 100, RING, true)).orElseThrow();

        assertTrue(freed.member().isEmpty());
        assertTrue(freed.next().isEmpty());
        assertEquals(CallState.ENDED, calls.get(live.callId()).orElseThrow().state());
        assertFalse(routing.state(RequestId.of("r-2")).isEmpty());
    }
}
