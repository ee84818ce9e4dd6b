package io.livedesk.signaling.cluster;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link SessionStore} contract; subclasses only provide the store. */
public abstract class SessionStoreContract {

    static final long T0 = 1_700_000_000_000L;

    private SessionStore store;

    /** A fresh, empty store for each test. */
    protected abstract SessionStore createStore();

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

    static SessionLocation at(String subject, String node, String conn) {
        return new SessionLocation(Subject.of(subject), Role.CUSTOMER, node, conn);
    }

    @Test
    void bindThenLocate() {
        SessionLocation l = new SessionLocation(Subject.of("s1"), Role.STAFF, "node-a", "conn-1");
        assertTrue(store.bind(l, T0).isEmpty());
        assertEquals(Optional.of(l), store.locate(Subject.of("s1")));
        assertTrue(store.locate(Subject.of("nobody")).isEmpty());
    }

    @Test
    void bindingAgainReplacesAndReturnsTheOldBinding() {
        SessionLocation old = at("c1", "node-a", "conn-1");
        SessionLocation now = at("c1", "node-b", "conn-9");
        store.bind(old, T0);

        assertEquals(Optional.of(old), store.bind(now, T0 + 1));
        assertEquals(Optional.of(now), store.locate(Subject.of("c1")));
        assertEquals(List.of(), store.boundOn("node-a"));
        assertEquals(List.of(now), store.boundOn("node-b"));
        assertTrue(store.bind(now, T0 + 2).isEmpty(), "the same binding again replaces nothing");
    }

    @Test
    void unbindOnlyTheCurrentConnection() {
        SessionLocation first = at("c1", "node-a", "conn-1");
        SessionLocation second = at("c1", "node-a", "conn-2");
        store.bind(first, T0);
        store.bind(second, T0 + 1);

        assertFalse(store.unbind(first, T0 + 2), "a stale connection closing changes nothing");
        assertEquals(Optional.of(second), store.locate(Subject.of("c1")));
        assertEquals(List.of(), store.claimExpired(T0 + 1_000, 10));

        assertTrue(store.unbind(second, T0 + 3));
        assertTrue(store.locate(Subject.of("c1")).isEmpty());
        assertEquals(List.of(), store.boundOn("node-a"));
        assertFalse(store.unbind(second, T0 + 4), "only once");
        assertFalse(store.unbind(at("nobody", "node-a", "x"), T0));
    }

    @Test
    void unbindOnAnotherNodeWithTheSameConnectionIdDoesNothing() {
        store.bind(at("c1", "node-a", "conn-1"), T0);
        assertFalse(store.unbind(at("c1", "node-b", "conn-1"), T0 + 1));
        assertTrue(store.locate(Subject.of("c1")).isPresent());
    }

    @Test
    void claimExpiredReturnsSubjectsDisconnectedAtOrBeforeOldestFirstOnce() {
        SessionLocation a = at("a", "node-a", "1");
        SessionLocation b = new SessionLocation(Subject.of("b"), Role.STAFF, "node-b", "2");
        SessionLocation c = at("c", "node-a", "3");
        store.bind(a, T0);
        store.bind(b, T0);
        store.bind(c, T0);
        store.unbind(b, T0 + 10);
        store.unbind(a, T0 + 20);
        store.unbind(c, T0 + 30);

        assertEquals(List.of(), store.claimExpired(T0 + 9, 10));
        assertEquals(List.of(b, a), store.claimExpired(T0 + 20, 10));
        assertEquals(List.of(), store.claimExpired(T0 + 20, 10), "already claimed");
        assertEquals(List.of(c), store.claimExpired(T0 + 100, 10));
    }

    @Test
    void claimExpiredTakesAtMostMax() {
        for (int i = 0; i < 5; i++) {
            SessionLocation l = at("c" + i, "node-a", "x" + i);
            store.bind(l, T0);
            store.unbind(l, T0 + i);
        }
        assertEquals(List.of("c0", "c1"), subjects(store.claimExpired(T0 + 100, 2)));
        assertEquals(List.of("c2", "c3", "c4"), subjects(store.claimExpired(T0 + 100, 10)));
        assertEquals(List.of(), store.claimExpired(T0 + 100, 0));
    }

    @Test
    void reconnectingClearsTheDisconnectMark() {
        SessionLocation a = at("c1", "node-a", "1");
        store.bind(a, T0);
        store.unbind(a, T0 + 1);
        SessionLocation back = at("c1", "node-b", "2");

        assertTrue(store.bind(back, T0 + 2).isEmpty(), "it was not connected anywhere");
        assertEquals(List.of(), store.claimExpired(T0 + 1_000, 10));
        assertEquals(Optional.of(back), store.locate(Subject.of("c1")));
    }

    @Test
    void concurrentClaimsGetEachSubjectExactlyOnce() throws Exception {
        int subjects = 200;
        for (int i = 0; i < subjects; i++) {
            SessionLocation l = at("c" + i, "node-" + (i % 3), "x" + i);
            store.bind(l, T0);
            store.unbind(l, T0 + i);
        }
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<SessionLocation> claimed = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    List<SessionLocation> batch;
                    do {
                        batch = store.claimExpired(T0 + subjects, 7);
                        claimed.addAll(batch);
                    } while (!batch.isEmpty());
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
        assertEquals(subjects, claimed.size());
        assertEquals(subjects, new HashSet<>(claimed).size());
    }

    @Test
    void disconnectNodeMarksItsSubjectsDisconnectedNow() {
        SessionLocation a1 = at("a1", "node-a", "1");
        SessionLocation a2 = new SessionLocation(Subject.of("a2"), Role.STAFF, "node-a", "2");
        SessionLocation b1 = at("b1", "node-b", "3");
        store.bind(a1, T0);
        store.bind(a2, T0);
        store.bind(b1, T0);

        List<SessionLocation> gone = sorted(store.disconnectNode("node-a", T0 + 50));

        assertEquals(List.of(a1, a2), gone);
        assertTrue(store.locate(Subject.of("a1")).isEmpty());
        assertEquals(List.of(), store.boundOn("node-a"));
        assertEquals(List.of(b1), store.boundOn("node-b"));
        assertEquals(List.of(), store.claimExpired(T0 + 49, 10));
        assertEquals(List.of(a1, a2), sorted(store.claimExpired(T0 + 50, 10)));
        assertEquals(List.of(), store.disconnectNode("node-a", T0 + 60));
    }

    @Test
    void disconnectNodeLeavesSubjectsThatMovedAway() {
        SessionLocation a = at("c1", "node-a", "1");
        SessionLocation b = at("c1", "node-b", "2");
        store.bind(a, T0);
        store.bind(b, T0 + 1);

        assertEquals(List.of(), store.disconnectNode("node-a", T0 + 2));
        assertEquals(Optional.of(b), store.locate(Subject.of("c1")));
    }

    @Test
    void boundOnListsTheNodesSubjects() {
        SessionLocation a1 = at("a1", "node-a", "1");
        SessionLocation a2 = at("a2", "node-a", "2");
        store.bind(a1, T0);
        store.bind(a2, T0);
        store.bind(at("b1", "node-b", "3"), T0);

        assertEquals(List.of(a1, a2), sorted(store.boundOn("node-a")));
        store.unbind(a1, T0 + 1);
        assertEquals(List.of(a2), store.boundOn("node-a"));
        assertEquals(List.of(), store.boundOn("node-z"));
    }

    private static List<SessionLocation> sorted(List<SessionLocation> l) {
        return l.stream().sorted(Comparator.comparing(SessionLocation::subject)).toList();
    }

    private static List<String> subjects(List<SessionLocation> l) {
        return l.stream().map(s -> s.subject().value()).toList();
    }
}
