package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link BroadcastStore} contract; subclasses only provide the store. */
public abstract class BroadcastStoreContract {

    static final long T0 = 1_764_000_000_000L;
    private static final Set<BroadcastState> UPCOMING_AND_LIVE = EnumSet.of(BroadcastState.SCHEDULED, BroadcastState.LIVE);

    private BroadcastStore store;

    /** A fresh, empty store for each test. */
    protected abstract BroadcastStore createStore();

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

    static Broadcast scheduled(String id, long at) {
        return Broadcast.scheduled(BroadcastId.of(id), Subject.of("host-1"), "Market briefing " + id, "", "en",
                "investments", at, null);
    }

    /** Creates a broadcast and takes it live. */
    Broadcast live(String id, long at) {
        Broadcast s = scheduled(id, at);
        store.create(s);
        Broadcast l = s.wentLive(at + 1, "node-t");
        assertTrue(store.compareAndSet(s, l));
        return l;
    }

    @Test
    void createdRecordsReadBackWholly() {
        Broadcast s = Broadcast.scheduled(BroadcastId.of("b-1"), Subject.of("staff-7"), "理财早知道 — Märkte \"live\" 📈",
                "第一行\n second line, ünïcödé, 'quotes' and \\backslash", "zh", "wealth", T0, "https://cdn.bank.example/c/封面.png?v=2");
        store.create(s);
        assertEquals(Optional.of(s), store.get(BroadcastId.of("b-1")));

        Broadcast full = new Broadcast(BroadcastId.of("b-2"), Subject.of("staff-8"), "Live now", "d", "en", "loans", T0 + 5,
                "http://img.example/x.jpg", BroadcastState.LIVE, List.of(Subject.of("co-1"), Subject.of("co-2")), T0 + 6, 0,
                321, 4_567, new BroadcastCounts(9_000_000_000L, 12, 34, 5, 3), 7,
                ProductCards.NONE.pin(new ProductCard("c-1", "Home loan", "Fixed for 5 years", "https://bank.example/l", null)),
                "node-a");
        store.create(full);
        assertEquals(Optional.of(full), store.get(BroadcastId.of("b-2")), "counters and revision included");
    }

    @Test
    void createRefusesAnExistingId() {
        store.create(scheduled("b-1", T0));
        Broadcast other = Broadcast.scheduled(BroadcastId.of("b-1"), Subject.of("intruder"), "Other", "", "en", "loans", T0 + 1, null);
        assertThrows(IllegalStateException.class, () -> store.create(other));
        assertEquals(Subject.of("host-1"), store.get(BroadcastId.of("b-1")).orElseThrow().host());
        assertEquals(1, store.list(EnumSet.allOf(BroadcastState.class), 10).size());
    }

    @Test
    void compareAndSetReplacesOnlyFromTheExpectedStateAndRevision() {
        Broadcast s = scheduled("b-1", T0);
        store.create(s);
        Broadcast l = s.wentLive(T0 + 1, "node-t");

        assertFalse(store.compareAndSet(l, l.ended(T0 + 2)), "not stored in that state");
        assertEquals(Optional.of(s), store.get(s.id()));
        assertTrue(store.compareAndSet(s, l));
        assertEquals(Optional.of(l), store.get(s.id()));
        assertFalse(store.compareAndSet(s, s.ended(T0 + 2)), "the state moved on");
        assertEquals(Optional.of(l), store.get(s.id()));
        assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(l, scheduled("b-2", T0)));
    }

    @Test
    void changesOnStageConflictOnTheRevision() {
        Broadcast l = live("b-1", T0);
        Broadcast withA = l.withCoHost(Subject.of("co-a"));
        Broadcast withB = l.withCoHost(Subject.of("co-b"));

        assertTrue(store.compareAndSet(l, withA));
        assertFalse(store.compareAndSet(l, withB), "made from a revision that is gone");
        assertEquals(List.of(Subject.of("co-a")), store.get(l.id()).orElseThrow().coHosts());
        assertTrue(store.compareAndSet(withA, withA.withCoHost(Subject.of("co-b"))));
        assertEquals(List.of(Subject.of("co-a"), Subject.of("co-b")), store.get(l.id()).orElseThrow().coHosts());
    }

    @Test
    void ofConcurrentTransitionsOnlyOneLands() throws Exception {
        Broadcast s = scheduled("b-1", T0);
        store.create(s);
        // Half the threads take it live, half cancel it, all from the same stored version.
        List<Boolean> results = race(8, i -> () -> store.compareAndSet(s, i % 2 == 0 ? s.wentLive(T0 + i, "node-t") : s.ended(T0 + i)));

        assertEquals(1, results.stream().filter(won -> won).count());
        Broadcast stored = store.get(s.id()).orElseThrow();
        assertEquals(1, stored.revision());
        assertEquals(1, store.list(EnumSet.allOf(BroadcastState.class), 10).size(), "indexed under one state only");
    }

    @Test
    void aStoredBroadcastFollowsTheStateMachine() {
        Broadcast l = live("b-1", T0);
        Broadcast ended = l.ended(T0 + 100);
        assertTrue(store.compareAndSet(l, ended));

        Broadcast stored = store.get(l.id()).orElseThrow();
        assertThrows(IllegalStateException.class, () -> stored.wentLive(T0 + 200, "node-t"), "an ended broadcast stays ended");
        assertThrows(IllegalStateException.class, () -> stored.withCoHost(Subject.of("co-a")));
        assertEquals(BroadcastState.ENDED, stored.state());
        assertFalse(stored.cancelled());
    }

    @Test
    void compareAndSetKeepsTheCountersAddedMeanwhile() {
        Broadcast s = scheduled("b-1", T0);
        store.create(s);
        assertTrue(store.addCounts(s.id(), BroadcastCounts.like()));
        assertTrue(store.notePeak(s.id(), 40));
        assertTrue(store.noteUnique(s.id(), 55));

        assertTrue(store.compareAndSet(s, s.wentLive(T0 + 1, "node-t")), "counters are not compared");
        Broadcast stored = store.get(s.id()).orElseThrow();
        assertEquals(BroadcastState.LIVE, stored.state());
        assertEquals(1, stored.counts().likes());
        assertEquals(40, stored.peakViewers());
        assertEquals(55, stored.uniqueViewers());
        assertEquals(1, stored.revision(), "counters do not move the revision");
    }

    @Test
    void listFiltersByStateAndOrdersByScheduledTimeThenId() {
        store.create(scheduled("b-late", T0 + 3_000));
        store.create(scheduled("b-soon", T0 + 1_000));
        store.create(scheduled("b-tie-b", T0 + 2_000));
        store.create(scheduled("b-tie-a", T0 + 2_000));
        Broadcast onAir = live("b-live", T0 + 2_500);
        Broadcast done = live("b-done", T0);
        store.compareAndSet(done, done.ended(T0 + 10));
        Broadcast cancelled = scheduled("b-cancelled", T0 + 500);
        store.create(cancelled);
        store.compareAndSet(cancelled, cancelled.ended(T0 + 20));

        assertEquals(List.of("b-soon", "b-tie-a", "b-tie-b", "b-live", "b-late"), ids(store.list(UPCOMING_AND_LIVE, 10)));
        assertEquals(List.of("b-soon", "b-tie-a"), ids(store.list(UPCOMING_AND_LIVE, 2)));
        assertEquals(List.of(onAir), store.list(EnumSet.of(BroadcastState.LIVE), 10));
        assertEquals(List.of("b-done", "b-cancelled"), ids(store.list(EnumSet.of(BroadcastState.ENDED), 10)));
        assertEquals(List.of(), store.list(UPCOMING_AND_LIVE, 0));
        assertEquals(List.of(), store.list(EnumSet.noneOf(BroadcastState.class), 10));
    }

    @Test
    void listShowsTheCurrentVersionWithItsCounters() {
        Broadcast s = scheduled("b-1", T0);
        store.create(s);
        Broadcast l = s.wentLive(T0 + 1, "node-t");
        store.compareAndSet(s, l);
        store.addCounts(s.id(), BroadcastCounts.chatMessage());

        assertEquals(List.of(), store.list(EnumSet.of(BroadcastState.SCHEDULED), 10), "it left the scheduled list");
        Broadcast listed = store.list(EnumSet.of(BroadcastState.LIVE), 10).get(0);
        assertEquals(BroadcastState.LIVE, listed.state());
        assertEquals(1, listed.counts().chatMessages());
    }

    @Test
    void addCountsAddsEveryPart() {
        Broadcast s = scheduled("b-1", T0);
        store.create(s);
        store.addCounts(s.id(), new BroadcastCounts(1_000, 2, 3, 4, 5));
        store.addCounts(s.id(), new BroadcastCounts(500, 0, 1, 0, 1));
        assertEquals(new BroadcastCounts(1_500, 2, 4, 4, 6), store.get(s.id()).orElseThrow().counts());
    }

    @Test
    void countersAreAtomicUnderConcurrency() throws Exception {
        Broadcast l = live("b-1", T0);
        int threads = 8;
        int each = 500;
        race(threads, t -> () -> {
            for (int i = 0; i < each; i++) {
                store.addCounts(l.id(), BroadcastCounts.chatMessage());
                store.addCounts(l.id(), BroadcastCounts.watched(10));
                store.notePeak(l.id(), t * each + i);
            }
            return true;
        });

        Broadcast stored = store.get(l.id()).orElseThrow();
        assertEquals(threads * each, stored.counts().chatMessages());
        assertEquals(threads * each * 10L, stored.counts().watchTimeMs());
        assertEquals(threads * each - 1, stored.peakViewers(), "the highest any thread reported");
        assertEquals(l, stored.withCounters(0, 0, BroadcastCounts.NONE), "the record itself untouched");
    }

    @Test
    void peakAndUniqueKeepTheMaximum() {
        Broadcast s = scheduled("b-1", T0);
        store.create(s);
        for (int viewers : new int[]{5, 3, 9, 7, 0}) {
            assertTrue(store.notePeak(s.id(), viewers));
        }
        for (long unique : new long[]{100, 50, 120, 119}) {
            assertTrue(store.noteUnique(s.id(), unique));
        }
        Broadcast stored = store.get(s.id()).orElseThrow();
        assertEquals(9, stored.peakViewers());
        assertEquals(120, stored.uniqueViewers());
    }

    @Test
    void anUnknownIdIsNotCreatedByAnyUpdate() {
        BroadcastId nope = BroadcastId.of("b-nope");
        Broadcast ghost = scheduled("b-nope", T0);

        assertTrue(store.get(nope).isEmpty());
        assertFalse(store.addCounts(nope, BroadcastCounts.like()));
        assertFalse(store.notePeak(nope, 10));
        assertFalse(store.noteUnique(nope, 10));
        assertFalse(store.compareAndSet(ghost, ghost.wentLive(T0 + 1, "node-t")));
        assertTrue(store.get(nope).isEmpty());
        assertEquals(List.of(), store.list(EnumSet.allOf(BroadcastState.class), 10));
    }

    /** Runs the tasks on their own threads, all released at once; their results in task order. */
    private static List<Boolean> race(int threads, IntFunction<Callable<Boolean>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Boolean> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> ids(List<Broadcast> broadcasts) {
        return broadcasts.stream().map(b -> b.id().value()).toList();
    }
}
