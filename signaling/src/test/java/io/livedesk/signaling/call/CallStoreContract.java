package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastOrigin;
import io.livedesk.signaling.routing.RequestId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link CallStore} contract; subclasses only provide the store. */
public abstract class CallStoreContract {

    static final long T0 = 1_700_000_000_000L;

    private CallStore store;

    /** A fresh, empty store for each test. */
    protected abstract CallStore createStore();

    protected void closeStore() {
    }

    @BeforeEach
    void setUp() {
        store = createStore();
    }

    @AfterEach
    void tearDown() {
        closeStore();
    }

    static CallRecord queued(String id, String customer, long enqueuedAt) {
        return CallRecord.queued(CallId.of(id), Subject.of(customer), "Customer " + customer, "loans", "en", 1, enqueuedAt);
    }

    /** Creates a call and takes it to CONNECTING with the staff member. */
    CallRecord connecting(String id, String customer, String staff, long enqueuedAt) {
        CallRecord q = queued(id, customer, enqueuedAt);
        store.create(q);
        CallRecord o = q.offered(Subject.of(staff), "Staff " + staff, enqueuedAt + 1);
        assertTrue(store.compareAndSet(q, o));
        CallRecord c = o.answered(enqueuedAt + 2);
        assertTrue(store.compareAndSet(o, c));
        return c;
    }

    @Test
    void createdRecordsReadBackWholly() {
        CallRecord q = queued("c1", "cust1", T0);
        store.create(q);
        assertEquals(Optional.of(q), store.get(CallId.of("c1")));

        CallRecord.Asked asked = new CallRecord.Asked(Map.of("page", "/loans/mortgage", "note", "关于 \"rates\""),
                new BroadcastOrigin(BroadcastId.of("b-1"), "Rates live", null, 12_000), true);
        CallRecord ended = new CallRecord(CallId.of("c2"), Subject.of("cust2"), "李四 \"Li\"", "cards", "zh", 9, asked,
                Subject.of("s1"), "Staff One", CallState.ENDED, T0, T0 + 1, T0 + 2, T0 + 3, T0 + 4, EndReason.STAFF_HANGUP, T0 + 2,
                List.of(new CallRecord.Supervisor(Subject.of("sup1"), false),
                        new CallRecord.Supervisor(Subject.of("sup2"), true, "陈静 Chen", "ld-0123abcd")), List.of(Subject.of("s0")), null,
                new CallRecord.Handover("Staff Zero", "wants a fixed rate"), "node-a", 7);
        store.create(ended);
        assertEquals(Optional.of(ended), store.get(CallId.of("c2")));
        assertTrue(store.get(CallId.of("nope")).isEmpty());
    }

    @Test
    void createRefusesAnExistingId() {
        store.create(queued("c1", "cust1", T0));
        assertThrows(IllegalStateException.class, () -> store.create(queued("c1", "other", T0 + 1)));
        assertEquals(Subject.of("cust1"), store.get(CallId.of("c1")).orElseThrow().customerId());
    }

    @Test
    void compareAndSetReplacesOnlyFromTheExpectedState() {
        CallRecord q = queued("c1", "cust1", T0);
        store.create(q);
        CallRecord offered = q.offered(Subject.of("s1"), "Staff", T0 + 1);

        assertFalse(store.compareAndSet(offered, offered));
        assertEquals(Optional.of(q), store.get(CallId.of("c1")));
        assertTrue(store.compareAndSet(q, offered));
        assertEquals(Optional.of(offered), store.get(CallId.of("c1")));
        assertFalse(store.compareAndSet(q, offered), "the state moved on");
        assertFalse(store.compareAndSet(queued("nope", "x", T0), queued("nope", "x", T0).offered(Subject.of("s"), "S", T0)));
        assertTrue(store.get(CallId.of("nope")).isEmpty());
    }

    @Test
    void concurrentCompareAndSetHasOneWinner() throws Exception {
        CallRecord active = connecting("c1", "cust1", "s1", T0);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                EndReason reason = EndReason.values()[i % EndReason.values().length];
                results.add(pool.submit(() -> {
                    start.await();
                    return store.compareAndSet(active, active.ended(reason, T0 + 10));
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(CallState.ENDED, store.get(CallId.of("c1")).orElseThrow().state());
    }

    @Test
    void changesWithinALiveStateConflictOnTheRevision() {
        CallRecord c = connecting("c1", "cust1", "s1", T0);
        CallRecord joined = c.withSupervisor(Subject.of("sup1"), true);
        CallRecord transferring = c.transferring(RequestId.of("t-1"), null);
        assertTrue(store.compareAndSet(c, joined));
        assertFalse(store.compareAndSet(c, transferring), "made from a revision that is gone");
        assertEquals(Optional.of(joined), store.get(CallId.of("c1")));
        assertTrue(store.compareAndSet(joined, joined.transferring(RequestId.of("t-1"), null)));
        assertEquals(List.of(Subject.of("sup1")), store.get(CallId.of("c1")).orElseThrow().supervisorIds());
    }

    @Test
    void aTransferMovesTheLiveIndexToTheNewStaffMember() {
        CallRecord c = connecting("c1", "cust1", "s1", T0);
        CallRecord waiting = c.transferring(RequestId.of("t-1"), null);
        CallRecord t = waiting.transferredTo(Subject.of("s2"), "Staff s2", T0 + 50);
        assertTrue(store.compareAndSet(c, waiting));
        assertTrue(store.compareAndSet(waiting, t));
        assertEquals(Optional.of(t), store.liveCallOf(Subject.of("s2")));
        assertEquals(Optional.of(t), store.liveCallOf(Subject.of("cust1")));
        assertTrue(store.liveCallOf(Subject.of("s1")).isEmpty(), "the former staff member is no longer in it");
        assertEquals(List.of(Subject.of("s1")), t.formerStaffIds());
    }

    @Test
    void theLastCallOfEachPartyStaysFoundAfterItEndsSoAReturningPartyLearnsHow() {
        CallRecord q = queued("c1", "cust1", T0);
        store.create(q);
        CallRecord o = q.offered(Subject.of("s1"), "Staff", T0 + 1);
        store.compareAndSet(q, o);
        assertTrue(store.lastCallOf(Subject.of("cust1")).isEmpty(), "never live yet");
        CallRecord c = o.answered(T0 + 2);
        store.compareAndSet(o, c);
        CallRecord ended = c.ended(EndReason.STAFF_HANGUP, T0 + 10);
        assertTrue(store.compareAndSet(c, ended));

        assertTrue(store.liveCallOf(Subject.of("cust1")).isEmpty());
        assertEquals(Optional.of(ended), store.lastCallOf(Subject.of("cust1")));
        assertEquals(Optional.of(ended), store.lastCallOf(Subject.of("s1")));
        assertTrue(store.lastCallOf(Subject.of("someone-else")).isEmpty());

        CallRecord next = connecting("c2", "cust1", "s2", T0 + 20);
        assertEquals(Optional.of(next), store.lastCallOf(Subject.of("cust1")), "a newer call replaces it");
        assertEquals(Optional.of(ended), store.lastCallOf(Subject.of("s1")));
    }

    @Test
    void liveCallsAreIndexedUnderBothPartiesWhileConnectingOrActive() {
        CallRecord q = queued("c1", "cust1", T0);
        store.create(q);
        CallRecord o = q.offered(Subject.of("s1"), "Staff", T0 + 1);
        store.compareAndSet(q, o);
        assertTrue(store.liveCallOf(Subject.of("cust1")).isEmpty(), "offered is not live");
        assertTrue(store.liveCallOf(Subject.of("s1")).isEmpty());

        CallRecord c = o.answered(T0 + 2);
        store.compareAndSet(o, c);
        assertEquals(Optional.of(c), store.liveCallOf(Subject.of("cust1")));
        assertEquals(Optional.of(c), store.liveCallOf(Subject.of("s1")));

        CallRecord a = c.connected(T0 + 3);
        store.compareAndSet(c, a);
        assertEquals(Optional.of(a), store.liveCallOf(Subject.of("cust1")));
        assertEquals(Optional.of(a), store.liveCallOf(Subject.of("s1")));

        store.compareAndSet(a, a.ended(EndReason.CUSTOMER_HANGUP, T0 + 4));
        assertTrue(store.liveCallOf(Subject.of("cust1")).isEmpty());
        assertTrue(store.liveCallOf(Subject.of("s1")).isEmpty());
    }

    @Test
    void aFailedCompareAndSetLeavesTheIndexAlone() {
        CallRecord c = connecting("c1", "cust1", "s1", T0);
        CallRecord a = c.connected(T0 + 5);
        assertFalse(store.compareAndSet(a, a.ended(EndReason.STAFF_HANGUP, T0 + 6)));
        assertEquals(Optional.of(c), store.liveCallOf(Subject.of("s1")));
    }

    @Test
    void aRequeuedCallIsNotLive() {
        CallRecord q = queued("c1", "cust1", T0);
        store.create(q);
        CallRecord o = q.offered(Subject.of("s1"), "Staff", T0 + 1);
        store.compareAndSet(q, o);
        CallRecord back = o.requeued();
        assertTrue(store.compareAndSet(o, back));
        assertEquals(Optional.of(back), store.get(CallId.of("c1")));
        assertTrue(store.liveCallOf(Subject.of("s1")).isEmpty());
    }

    @Test
    void aPartysNextLiveCallReplacesTheEndedOne() {
        CallRecord first = connecting("c1", "cust1", "s1", T0);
        store.compareAndSet(first, first.ended(EndReason.STAFF_DISCONNECTED, T0 + 10));
        CallRecord second = connecting("c2", "cust2", "s1", T0 + 20);

        assertEquals(Optional.of(second), store.liveCallOf(Subject.of("s1")));
        assertEquals(Optional.of(second), store.liveCallOf(Subject.of("cust2")));
        assertTrue(store.liveCallOf(Subject.of("cust1")).isEmpty());
    }

    @Test
    void aRecordCreatedLiveIsIndexed() {
        CallRecord live = new CallRecord(CallId.of("c1"), Subject.of("cust1"), "C", "loans", "en", 0, CallRecord.Asked.NONE,
                Subject.of("s1"), "S", CallState.ACTIVE, T0, T0 + 1, T0 + 2, T0 + 3, 0, null, T0 + 2, List.of(), List.of(), null,
                null, null, 3);
        store.create(live);
        assertEquals(Optional.of(live), store.liveCallOf(Subject.of("cust1")));
        assertEquals(Optional.of(live), store.liveCallOf(Subject.of("s1")));
    }

    @Test
    void recentIsNewestFirstWithLimit() {
        connecting("c1", "cust1", "s1", T0);
        store.create(queued("c2", "cust2", T0 + 20));
        connecting("c3", "cust3", "s2", T0 + 10);
        CallRecord c4 = connecting("c4", "cust4", "s1", T0 + 30);
        CallRecord c4ended = c4.ended(EndReason.CUSTOMER_HANGUP, T0 + 40);
        store.compareAndSet(c4, c4ended);

        assertEquals(List.of("c4", "c2", "c3", "c1"), ids(store.recent(10)));
        assertEquals(List.of("c4", "c2"), ids(store.recent(2)));
        assertEquals(c4ended, store.recent(1).get(0), "the current version");
        assertEquals(List.of(), store.recent(0));
    }

    @Test
    void aStaffMembersHistoryHasTheCallsTheyAnsweredIncludingOnesTheyTransferredAway() {
        CallRecord c1 = connecting("c1", "cust1", "s1", T0);
        store.create(queued("c2", "cust2", T0 + 20));
        CallRecord c3 = connecting("c3", "cust3", "s2", T0 + 10);
        CallRecord c4 = connecting("c4", "cust4", "s1", T0 + 30);
        CallRecord c4ended = c4.ended(EndReason.CUSTOMER_HANGUP, T0 + 40);
        assertTrue(store.compareAndSet(c4, c4ended));
        CallRecord waiting = c1.transferring(RequestId.of("t-1"), "over to you");
        CallRecord moved = waiting.transferredTo(Subject.of("s3"), "Staff s3", T0 + 50);
        assertTrue(store.compareAndSet(c1, waiting));
        assertTrue(store.compareAndSet(waiting, moved));

        assertEquals(List.of(c4ended, moved), store.history(Subject.of("s1"), 10), "current versions, newest first");
        assertEquals(List.of(c4ended), store.history(Subject.of("s1"), 1));
        assertEquals(List.of(moved), store.history(Subject.of("s3"), 10), "the one who took it over");
        assertEquals(List.of(c3), store.history(Subject.of("s2"), 10));
        assertEquals(List.of(), store.history(Subject.of("s9"), 10));
        assertEquals(new CallRecord.Handover("Staff s1", "over to you"),
                store.get(CallId.of("c1")).orElseThrow().handover(), "the note stays with the call");
    }

    @Test
    void anIdentifiedCustomersHistoryHasEveryRequestAnAnonymousOneHasNone() {
        CallRecord.Asked known = new CallRecord.Asked(Map.of("page", "/cards"), null, true);
        CallRecord first = CallRecord.queued(CallId.of("k1"), Subject.of("cust-k"), "K", "cards", "en", 0, known, T0);
        store.create(first);
        CallRecord gaveUp = first.ended(EndReason.CUSTOMER_CANCELLED, T0 + 5);
        assertTrue(store.compareAndSet(first, gaveUp));
        CallRecord second = CallRecord.queued(CallId.of("k2"), Subject.of("cust-k"), "K", "loans", "en", 0, known, T0 + 10);
        store.create(second);
        CallRecord offered = second.offered(Subject.of("s1"), "S", T0 + 11);
        assertTrue(store.compareAndSet(second, offered));
        CallRecord answered = offered.answered(T0 + 12);
        assertTrue(store.compareAndSet(offered, answered));
        store.create(queued("a1", "cust-anon", T0 + 20));

        assertEquals(List.of(answered, gaveUp), store.history(Subject.of("cust-k"), 10));
        assertEquals(List.of(), store.history(Subject.of("cust-anon"), 10), "an anonymous customer has no history");
    }

    @Test
    void theLiveIndexHasTheCallsBeingTalkedInNow() {
        CallRecord c1 = connecting("c1", "cust1", "s1", T0);
        store.create(queued("c2", "cust2", T0 + 10));
        CallRecord c3 = connecting("c3", "cust3", "s2", T0 + 20);
        CallRecord c3active = c3.connected(T0 + 25);
        assertTrue(store.compareAndSet(c3, c3active));
        assertEquals(List.of(c3active, c1), store.live(10), "current versions, newest first, not the queued one");
        assertEquals(List.of(c3active), store.live(1));

        CallRecord waiting = c1.transferring(RequestId.of("t-1"), null);
        assertTrue(store.compareAndSet(c1, waiting));
        CallRecord moved = waiting.transferredTo(Subject.of("s3"), "Staff s3", T0 + 30);
        assertTrue(store.compareAndSet(waiting, moved));
        assertEquals(List.of(c3active, moved), store.live(10), "a transfer keeps it live");
        assertTrue(store.compareAndSet(c3active, c3active.ended(EndReason.STAFF_HANGUP, T0 + 40)));
        assertEquals(List.of(moved), store.live(10), "an ended call leaves it");
        assertEquals(List.of(), store.live(0));
    }

    @Test
    void aHistoryKeepsTheNewestCallsOnly() {
        CallRecord.Asked known = new CallRecord.Asked(Map.of(), null, true);
        int made = CallStore.HISTORY_LIMIT + 5;
        for (int i = 0; i < made; i++) {
            store.create(CallRecord.queued(CallId.of("h-" + i), Subject.of("cust-h"), "H", "cards", "en", 0, known, T0 + i));
        }
        List<CallRecord> history = store.history(Subject.of("cust-h"), 1_000);
        assertEquals(CallStore.HISTORY_LIMIT, history.size());
        assertEquals("h-" + (made - 1), history.get(0).callId().value());
        assertEquals("h-5", history.get(history.size() - 1).callId().value());
    }

    @Test
    void recentOrdersEqualEnqueueTimesById() {
        store.create(queued("c-b", "x", T0));
        store.create(queued("c-a", "y", T0));
        store.create(queued("c-c", "z", T0));
        assertEquals(List.of("c-c", "c-b", "c-a"), ids(store.recent(10)));
    }

    @Test
    void endedCallsOlderThanTheKeptOnesAreForgottenLiveOnesAreNot() {
        CallRecord live = connecting("c-live", "cust-live", "s1", T0);
        CallRecord ended = queued("c-ended", "cust-ended", T0 + 1).ended(EndReason.CUSTOMER_CANCELLED, T0 + 2);
        store.create(ended);
        // Enough newer calls that both fall out of the kept ones, however the store batches its trimming
        // (Redis: up to 100 at a time).
        int newer = InMemoryCallStore.RECENT_LIMIT + 100;
        for (int i = 0; i < newer; i++) {
            store.create(queued("c-" + i, "cust-" + i, T0 + 10 + i));
        }

        assertTrue(store.get(ended.callId()).isEmpty(), "an ended call past the kept ones is gone");
        assertEquals(Optional.of(live), store.get(live.callId()), "a live call is never forgotten");
        assertEquals(Optional.of(live), store.liveCallOf(Subject.of("cust-live")));
        assertEquals(List.of("c-" + (newer - 1), "c-" + (newer - 2)), ids(store.recent(2)));
    }

    private static List<String> ids(List<CallRecord> records) {
        return records.stream().map(r -> r.callId().value()).toList();
    }
}
