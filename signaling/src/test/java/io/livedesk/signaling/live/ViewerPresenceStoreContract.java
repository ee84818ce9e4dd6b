package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link ViewerPresenceStore} contract; subclasses only provide the store. */
public abstract class ViewerPresenceStoreContract {

    static final long T0 = 1_700_000_000_000L;
    /** Heartbeats every 5 s; a viewer who missed three is stale. */
    static final long HEARTBEAT_MS = 5_000;
    static final long TTL_MS = 3 * HEARTBEAT_MS;
    static final BroadcastId B = BroadcastId.of("b1");

    private ViewerPresenceStore store;

    /** A fresh, empty store for each test. */
    protected abstract ViewerPresenceStore createStore();

    /** Releases what {@link #createStore} opened. */
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

    static Subject v(String id) {
        return Subject.of(id);
    }

    static List<String> subjects(List<ViewerPresence> viewers) {
        return viewers.stream().map(p -> p.viewer().value()).toList();
    }

    @Test
    void joinHeartbeatLeave() {
        assertEquals(JoinOutcome.JOINED, store.join(B, v("a"), "Ann", T0));
        assertEquals(List.of(new ViewerPresence(v("a"), "Ann", T0, T0)), store.page(B, 0, 10, T0, TTL_MS));

        assertTrue(store.heartbeat(B, v("a"), T0 + HEARTBEAT_MS));
        assertEquals(List.of(new ViewerPresence(v("a"), "Ann", T0, T0 + HEARTBEAT_MS)),
                store.page(B, 0, 10, T0 + HEARTBEAT_MS, TTL_MS));
        assertEquals(1, store.count(B, T0 + HEARTBEAT_MS, TTL_MS));

        assertTrue(store.leave(B, v("a"), T0 + 7_000));
        assertEquals(0, store.count(B, T0 + 7_000, TTL_MS));
        assertEquals(List.of(), store.page(B, 0, 10, T0 + 7_000, TTL_MS));
        assertFalse(store.leave(B, v("a"), T0 + 8_000), "only once");
        assertFalse(store.heartbeat(B, v("a"), T0 + 8_000), "a viewer who left must join again");
    }

    @Test
    void joiningAgainWhilePresentRefreshesKeepsTheJoinTimeAndTakesTheNewName() {
        store.join(B, v("a"), "Ann", T0);
        assertEquals(JoinOutcome.REFRESHED, store.join(B, v("a"), "Ann B.", T0 + 1_000));
        assertEquals(List.of(new ViewerPresence(v("a"), "Ann B.", T0, T0 + 1_000)), store.page(B, 0, 10, T0 + 1_000, TTL_MS));

        assertEquals(JoinOutcome.REFRESHED, store.join(B, v("a"), "  ", T0 + 2_000));
        assertNull(store.page(B, 0, 10, T0 + 2_000, TTL_MS).get(0).displayName(), "blank is no name");
        assertEquals(1, store.count(B, T0 + 2_000, TTL_MS));
    }

    @Test
    void aHeartbeatOlderThanTheLastOneDoesNotMoveItBack() {
        store.join(B, v("a"), null, T0 + 5_000);
        assertTrue(store.heartbeat(B, v("a"), T0 + 1_000), "another node's clock a little behind");
        assertEquals(T0 + 5_000, store.page(B, 0, 10, T0 + 5_000, TTL_MS).get(0).lastSeenMs());
    }

    @Test
    void heartbeatAllRefreshesThePresentAndReturnsTheOthersInOrderWithoutAddingThem() {
        store.join(B, v("gone"), null, T0);
        assertEquals(List.of("gone"), subjects(store.expire(B, T0 + 1, 10)));
        store.join(B, v("a"), "Ann", T0 + 10);
        store.join(B, v("left"), null, T0 + 10);
        store.join(B, v("b"), null, T0 + 20);
        store.leave(B, v("left"), T0 + 30);
        long now = T0 + 10 + TTL_MS + 5; // a is stale (not yet expired), b still fresh
        assertEquals(1, store.count(B, now, TTL_MS));

        assertEquals(List.of(v("left"), v("never"), v("gone")),
                store.heartbeatAll(B, List.of(v("a"), v("left"), v("never"), v("b"), v("gone")), now));

        assertEquals(List.of(new ViewerPresence(v("a"), "Ann", T0 + 10, now),
                        new ViewerPresence(v("b"), null, T0 + 20, now)),
                store.page(B, 0, 10, now, TTL_MS));
        assertEquals(2, store.count(B, now, TTL_MS), "the stale one is fresh again");
        assertFalse(store.heartbeat(B, v("never"), now + 1), "absent viewers are not added");
        assertFalse(store.heartbeat(B, v("left"), now + 1));
        assertEquals(4, store.uniqueViewers(B), "nor counted as viewers");
    }

    @Test
    void heartbeatAllNeverMovesAHeartbeatBack() {
        store.join(B, v("a"), null, T0 + 5_000);
        store.join(B, v("b"), null, T0);
        assertEquals(List.of(), store.heartbeatAll(B, List.of(v("a"), v("b")), T0 + 1_000));
        assertEquals(List.of(new ViewerPresence(v("b"), null, T0, T0 + 1_000),
                        new ViewerPresence(v("a"), null, T0 + 5_000, T0 + 5_000)),
                store.page(B, 0, 10, T0 + 5_000, TTL_MS));
    }

    @Test
    void heartbeatAllOfNoViewersOrOfAnUnknownBroadcast() {
        store.join(B, v("a"), null, T0);
        assertEquals(List.of(), store.heartbeatAll(B, List.of(), T0 + TTL_MS + 1));
        assertEquals(0, store.count(B, T0 + TTL_MS + 1, TTL_MS), "nothing refreshed");

        BroadcastId nope = BroadcastId.of("nope");
        assertEquals(List.of(v("a"), v("b")), store.heartbeatAll(nope, List.of(v("a"), v("b")), T0));
        assertEquals(0, store.count(nope, T0, TTL_MS));
        assertThrows(NullPointerException.class, () -> store.heartbeatAll(null, List.of(v("a")), T0));
    }

    @Test
    void heartbeatAllOfMoreViewersThanOneBatchRefreshesEveryStaleOne() {
        int viewers = 2 * ViewerLimits.MAX_EXPIRE_BATCH + 200;
        List<Subject> all = new ArrayList<>();
        List<Subject> left = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            Subject viewer = v(String.format("v%04d", i));
            all.add(viewer);
            store.join(B, viewer, null, T0);
            if (i % 7 == 3) { // some of them in every batch
                store.leave(B, viewer, T0 + 1);
                left.add(viewer);
            }
        }
        long now = T0 + TTL_MS + 1;
        assertEquals(0, store.count(B, now, TTL_MS), "every heartbeat is stale before");

        assertEquals(left, store.heartbeatAll(B, all, now));

        assertEquals(viewers - left.size(), store.count(B, now, TTL_MS));
        assertEquals(List.of(), store.expire(B, now, Integer.MAX_VALUE), "none left stale");
        assertEquals(viewers, store.uniqueViewers(B));
    }

    @Test
    void longNamesAreCut() {
        store.join(B, v("a"), "x".repeat(ViewerLimits.MAX_NAME_CHARS + 50), T0);
        assertEquals("x".repeat(ViewerLimits.MAX_NAME_CHARS), store.page(B, 0, 1, T0, TTL_MS).get(0).displayName());
    }

    @Test
    void countsAndPagesLeaveOutStaleHeartbeatsBeforeAnySweep() {
        store.join(B, v("a"), null, T0);
        store.join(B, v("b"), null, T0 + 1_000);
        store.join(B, v("c"), null, T0 + 2_000);
        long later = T0 + 1_000 + TTL_MS; // a's heartbeat is now too old; b's is exactly on the edge
        store.heartbeat(B, v("c"), later);

        assertEquals(2, store.count(B, later, TTL_MS));
        assertEquals(List.of("b", "c"), subjects(store.page(B, 0, 10, later, TTL_MS)));
        assertEquals(1, store.count(B, later + 1, TTL_MS));
        assertEquals(List.of("c"), subjects(store.page(B, 0, 10, later + 1, TTL_MS)));
        assertTrue(store.heartbeat(B, v("a"), later + 2), "stale but not expired: a heartbeat makes it fresh");
        assertEquals(2, store.count(B, later + 2, TTL_MS));
    }

    @Test
    void expireReturnsExactlyTheStaleOnesOldestFirstOnce() {
        store.join(B, v("a"), "Ann", T0);
        store.join(B, v("b"), null, T0);
        store.join(B, v("c"), null, T0);
        store.heartbeat(B, v("a"), T0 + 2_000);
        store.heartbeat(B, v("b"), T0 + 1_000);
        store.heartbeat(B, v("c"), T0 + 3_000);

        assertEquals(List.of(), store.expire(B, T0 + 1_000, 10), "a heartbeat exactly at the cut is fresh");
        assertEquals(List.of(new ViewerPresence(v("b"), null, T0, T0 + 1_000),
                new ViewerPresence(v("a"), "Ann", T0, T0 + 2_000)), store.expire(B, T0 + 2_001, 10));
        assertEquals(List.of(), store.expire(B, T0 + 2_001, 10), "already expired");
        assertEquals(List.of("c"), subjects(store.page(B, 0, 10, T0 + 3_000, TTL_MS)));
        assertFalse(store.heartbeat(B, v("a"), T0 + 4_000), "an expired viewer must join again");
    }

    @Test
    void expireTakesAtMostMaxAndTheBound() {
        for (int i = 0; i < 5; i++) {
            store.join(B, v("v" + i), null, T0 + i);
        }
        assertEquals(List.of("v0", "v1"), subjects(store.expire(B, T0 + 100, 2)));
        assertEquals(List.of(), store.expire(B, T0 + 100, 0));
        assertEquals(List.of("v2", "v3", "v4"), subjects(store.expire(B, T0 + 100, 10)));

        for (int i = 0; i < ViewerLimits.MAX_EXPIRE_BATCH + 3; i++) {
            store.join(B, v("w" + i), null, T0);
        }
        assertEquals(ViewerLimits.MAX_EXPIRE_BATCH, store.expire(B, T0 + 1, Integer.MAX_VALUE).size());
        assertEquals(3, store.expire(B, T0 + 1, Integer.MAX_VALUE).size());
    }

    @Test
    void rejoinAfterExpiryIsANewStayButNotANewUniqueViewer() {
        store.join(B, v("a"), null, T0);
        store.expire(B, T0 + 1, 10);

        assertEquals(JoinOutcome.JOINED, store.join(B, v("a"), null, T0 + 60_000));
        assertEquals(T0 + 60_000, store.page(B, 0, 1, T0 + 60_000, TTL_MS).get(0).joinedAtMs());
        assertEquals(1, store.uniqueViewers(B));
    }

    @Test
    void uniqueViewersCountEachSubjectOnceAcrossLeavesAndRejoins() {
        store.join(B, v("a"), null, T0);
        store.join(B, v("b"), null, T0);
        store.leave(B, v("a"), T0 + 1);
        store.join(B, v("a"), null, T0 + 2);
        store.join(B, v("a"), null, T0 + 3);
        store.join(B, v("c"), null, T0 + 4);
        store.leave(B, v("c"), T0 + 5);

        assertEquals(3, store.uniqueViewers(B));
        assertEquals(2, store.count(B, T0 + 5, TTL_MS));
    }

    @Test
    void watchTimeRunsFromJoinToLeaveOrToTheLastHeartbeatOnExpiry() {
        store.join(B, v("a"), null, T0);
        store.heartbeat(B, v("a"), T0 + 5_000);
        store.leave(B, v("a"), T0 + 7_000);
        assertEquals(7_000, store.watchTimeMs(B));

        store.join(B, v("b"), null, T0 + 10_000);
        store.heartbeat(B, v("b"), T0 + 14_000);
        store.expire(B, T0 + 14_000 + TTL_MS + 1, 10); // b went silent after 14 s: 4 s watched, not 19
        assertEquals(11_000, store.watchTimeMs(B));

        store.join(B, v("a"), null, T0 + 20_000); // a's second stay adds to the first
        store.heartbeat(B, v("a"), T0 + 21_000);
        store.leave(B, v("a"), T0 + 22_000);
        assertEquals(13_000, store.watchTimeMs(B));
        assertEquals(0, store.watchTimeMs(BroadcastId.of("other")));
    }

    @Test
    void pagesAreInJoinOrderThenBySubjectAndBounded() {
        store.join(B, v("c"), null, T0 + 1);
        store.join(B, v("a"), null, T0 + 2);
        store.join(B, v("b"), null, T0 + 2);
        store.join(B, v("d"), null, T0 + 3);
        store.heartbeat(B, v("c"), T0 + 10); // heartbeats do not reorder

        assertEquals(List.of("c", "a"), subjects(store.page(B, 0, 2, T0 + 10, TTL_MS)));
        assertEquals(List.of("b", "d"), subjects(store.page(B, 2, 2, T0 + 10, TTL_MS)));
        assertEquals(List.of(), store.page(B, 4, 2, T0 + 10, TTL_MS));
        assertEquals(List.of(), store.page(B, 0, 0, T0 + 10, TTL_MS));
        assertThrows(IllegalArgumentException.class, () -> store.page(B, -1, 2, T0, TTL_MS));
        assertThrows(IllegalArgumentException.class, () -> store.page(B, 0, -1, T0, TTL_MS));
    }

    @Test
    void aPageHoldsAtMostTheBound() {
        int viewers = ViewerLimits.MAX_PAGE + 5;
        for (int i = 0; i < viewers; i++) {
            store.join(B, v(String.format("v%03d", i)), null, T0 + i);
        }
        List<ViewerPresence> first = store.page(B, 0, Integer.MAX_VALUE, T0 + viewers, TTL_MS);
        assertEquals(ViewerLimits.MAX_PAGE, first.size());
        assertEquals("v000", first.get(0).viewer().value());
        assertEquals(List.of("v100", "v101", "v102", "v103", "v104"),
                subjects(store.page(B, ViewerLimits.MAX_PAGE, Integer.MAX_VALUE, T0 + viewers, TTL_MS)));
    }

    @Test
    void pageOffsetsCountOnlyFreshViewers() {
        // Joined in order v0..v9; the even ones go stale (no heartbeat) before any sweep.
        for (int i = 0; i < 10; i++) {
            store.join(B, v("v" + i), null, T0 + i);
        }
        long now = T0 + TTL_MS + 100;
        for (int i = 1; i < 10; i += 2) {
            store.heartbeat(B, v("v" + i), now);
        }
        assertEquals(5, store.count(B, now, TTL_MS));
        assertEquals(List.of("v1", "v3"), subjects(store.page(B, 0, 2, now, TTL_MS)));
        assertEquals(List.of("v5", "v7"), subjects(store.page(B, 2, 2, now, TTL_MS)));
        assertEquals(List.of("v9"), subjects(store.page(B, 4, 2, now, TTL_MS)));
        assertEquals(List.of(), store.page(B, 5, 2, now, TTL_MS));
    }

    @Test
    void aBannedViewerIsRemovedAndCannotRejoin() {
        store.join(B, v("a"), null, T0);
        store.join(B, v("b"), null, T0);

        assertTrue(store.ban(B, v("a"), T0 + 3_000));
        assertTrue(store.isBanned(B, v("a")));
        assertEquals(List.of("b"), subjects(store.page(B, 0, 10, T0 + 3_000, TTL_MS)));
        assertEquals(3_000, store.watchTimeMs(B));
        assertEquals(JoinOutcome.BANNED, store.join(B, v("a"), null, T0 + 4_000));
        assertFalse(store.heartbeat(B, v("a"), T0 + 4_000));
        assertEquals(1, store.count(B, T0 + 4_000, TTL_MS));

        assertFalse(store.ban(B, v("z"), T0), "banning someone not watching");
        assertEquals(JoinOutcome.BANNED, store.join(B, v("z"), null, T0 + 1));
        assertEquals(2, store.uniqueViewers(B), "a refused join is not a viewer");
        assertFalse(store.isBanned(BroadcastId.of("other"), v("a")), "a ban is per broadcast");
        assertEquals(JoinOutcome.JOINED, store.join(BroadcastId.of("other"), v("a"), null, T0));
    }

    @Test
    void anUnknownBroadcastIsEmpty() {
        assertEquals(0, store.count(BroadcastId.of("nope"), T0, TTL_MS));
        assertEquals(List.of(), store.page(BroadcastId.of("nope"), 0, 10, T0, TTL_MS));
        assertEquals(List.of(), store.expire(BroadcastId.of("nope"), T0, 10));
        assertEquals(0, store.uniqueViewers(BroadcastId.of("nope")));
        assertEquals(0, store.watchTimeMs(BroadcastId.of("nope")));
        assertFalse(store.heartbeat(BroadcastId.of("nope"), v("a"), T0));
        assertFalse(store.leave(BroadcastId.of("nope"), v("a"), T0));
        assertFalse(store.isBanned(BroadcastId.of("nope"), v("a")));
        store.remove(BroadcastId.of("nope"));
    }

    @Test
    void broadcastsAreSeparateAndRemoveForgetsOneEntirely() {
        store.join(B, v("a"), null, T0);
        store.join(B, v("b"), null, T0);
        store.leave(B, v("b"), T0 + 500);
        store.ban(B, v("x"), T0);
        store.join(BroadcastId.of("b2"), v("a"), null, T0);

        store.remove(B);

        assertEquals(0, store.count(B, T0, TTL_MS));
        assertEquals(0, store.uniqueViewers(B));
        assertEquals(0, store.watchTimeMs(B));
        assertFalse(store.isBanned(B, v("x")));
        assertEquals(JoinOutcome.JOINED, store.join(B, v("a"), null, T0 + 1));
        assertEquals(1, store.count(BroadcastId.of("b2"), T0, TTL_MS), "the other broadcast is untouched");
    }

    @Test
    void aMissingBroadcastIdIsRefused() {
        assertThrows(NullPointerException.class, () -> store.join(null, v("a"), null, T0));
        assertThrows(NullPointerException.class, () -> store.count(null, T0, TTL_MS));
    }

    @Test
    void concurrentJoinsAndLeavesOfDistinctViewersKeepTheCountRight() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Subject viewer = v("t" + thread + "-" + i);
                        assertEquals(JoinOutcome.JOINED, store.join(B, viewer, null, T0 + i));
                        if (i % 2 == 1) { // every other viewer leaves again
                            assertTrue(store.leave(B, viewer, T0 + i + 10));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long now = T0 + perThread;
        assertEquals(threads * perThread / 2, store.count(B, now, TTL_MS));
        assertEquals(threads * perThread, store.uniqueViewers(B));
        assertEquals(threads * perThread / 2 * 10L, store.watchTimeMs(B));
        List<ViewerPresence> listed = new ArrayList<>();
        for (int offset = 0; ; offset += ViewerLimits.MAX_PAGE) {
            List<ViewerPresence> page = store.page(B, offset, ViewerLimits.MAX_PAGE, now, TTL_MS);
            listed.addAll(page);
            if (page.size() < ViewerLimits.MAX_PAGE) {
                break;
            }
        }
        assertEquals(IntStream.range(0, threads).boxed()
                        .flatMap(t -> IntStream.range(0, perThread).filter(i -> i % 2 == 0).mapToObj(i -> "t" + t + "-" + i))
                        .sorted().toList(),
                subjects(listed).stream().sorted().toList());
    }
}
