package io.livedesk.signaling.callback;

import io.livedesk.signaling.auth.Subject;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link CallbackStore} does, in memory and in Redis alike. */
abstract class CallbackStoreContract {
    static final long T0 = 1_764_900_000_000L;
    static final Subject LI = Subject.of("cust-li");
    static final Subject CHEN = Subject.of("cust-chen");
    static final Subject ZHANG = Subject.of("staff-zhang");
    static final Subject WANG = Subject.of("staff-wang");

    protected CallbackStore store;

    protected abstract CallbackStore createStore();

    protected abstract void closeStore();

    @BeforeEach
    void open() {
        store = createStore();
    }

    @AfterEach
    void close() {
        closeStore();
    }

    static CallbackRequest request(Subject customer, long createdAtMs) {
        return CallbackRequest.open(CallbackId.random(), customer, "Li Wei", "+86 21 5555 0101", "about my mortgage",
                "after 18:00", "loans", "zh", Map.of("page", "/loans", "product", "Home loan"), createdAtMs);
    }

    @Test
    void aNewRequestReadsBackWithEveryField() {
        CallbackRequest r = request(LI, T0);
        assertEquals(Optional.empty(), store.create(r));
        assertEquals(Optional.of(r), store.get(r.id()));
        assertEquals(Optional.of(r), store.activeOf(LI));
        CallbackRequest bare = CallbackRequest.open(CallbackId.random(), CHEN, "Chen", "", "call me", "", "cards", "en",
                Map.of(), T0 + 1);
        store.create(bare);
        assertEquals(Optional.of(bare), store.get(bare.id()), "empty strings and an empty context");
        assertEquals(2, store.countOpen());
        assertEquals(Optional.empty(), store.get(CallbackId.random()));
    }

    @Test
    void aCustomerHasOneActiveRequestAtATimeUntilItIsClosed() {
        CallbackRequest first = request(LI, T0);
        store.create(first);
        CallbackRequest second = request(LI, T0 + 10);
        assertEquals(Optional.of(first), store.create(second), "the existing one is the answer");
        assertEquals(Optional.empty(), store.get(second.id()), "nothing stored");
        store.take(first.id(), ZHANG, T0 + 20);
        assertEquals(first.id(), store.create(second).orElseThrow().id(), "taken still counts as active");
        store.close(first.id(), ZHANG, false, CallbackOutcome.REACHED, "", T0 + 30);
        assertEquals(Optional.empty(), store.activeOf(LI));
        assertEquals(Optional.empty(), store.create(second), "after closing they may ask again");
        assertEquals(Optional.of(second), store.activeOf(LI));
    }

    @Test
    void openRequestsComeOldestFirstWithinTheLimit() {
        List<CallbackRequest> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CallbackRequest r = request(Subject.of("cust-" + i), T0 + 100 - i * 10L); // the last made is the oldest
            store.create(r);
            made.add(0, r);
        }
        assertEquals(made, store.open(10));
        assertEquals(made.subList(0, 2), store.open(2));
        assertEquals(List.of(), store.open(0));
    }

    @Test
    void takingMovesARequestFromTheOpenListToTheStaffMembersAndOnlyOnceWins() {
        CallbackRequest a = request(LI, T0);
        CallbackRequest b = request(CHEN, T0 + 1);
        store.create(a);
        store.create(b);
        CallbackRequest taken = store.take(b.id(), ZHANG, T0 + 50).orElseThrow();
        assertEquals(CallbackState.TAKEN, taken.state());
        assertEquals(ZHANG, taken.staffId());
        assertEquals(T0 + 50, taken.takenAtMs());
        assertEquals(Optional.empty(), store.take(b.id(), WANG, T0 + 51), "someone else was first");
        store.take(a.id(), ZHANG, T0 + 60);
        assertEquals(List.of(b.id(), a.id()), store.takenBy(ZHANG).stream().map(CallbackRequest::id).toList(),
                "oldest taken first");
        assertEquals(List.of(), store.takenBy(WANG));
        assertEquals(List.of(), store.open(10));
        assertEquals(0, store.countOpen());
        assertEquals(Optional.empty(), store.take(CallbackId.random(), ZHANG, T0));
    }

    @Test
    void ofManyStaffTakingOneRequestAtOnceExactlyOneWins() throws Exception {
        CallbackRequest r = request(LI, T0);
        store.create(r);
        int takers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<CallbackRequest>>> tries = new ArrayList<>();
            for (int i = 0; i < takers; i++) {
                Subject staff = Subject.of("staff-" + i);
                tries.add(pool.submit(() -> {
                    go.await();
                    return store.take(r.id(), staff, T0 + 5);
                }));
            }
            go.countDown();
            List<Subject> winners = new ArrayList<>();
            for (Future<Optional<CallbackRequest>> f : tries) {
                f.get(30, TimeUnit.SECONDS).ifPresent(won -> winners.add(won.staffId()));
            }
            assertEquals(1, winners.size(), "winners: " + winners);
            assertEquals(winners.get(0), store.get(r.id()).orElseThrow().staffId());
            assertEquals(1, store.takenBy(winners.get(0)).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheHolderClosesATakenRequestUnlessAnyoneMay() {
        CallbackRequest r = request(LI, T0);
        store.create(r);
        store.take(r.id(), ZHANG, T0 + 10);
        assertEquals(Optional.empty(), store.close(r.id(), WANG, false, CallbackOutcome.REACHED, "", T0 + 20));
        assertEquals(CallbackState.TAKEN, store.get(r.id()).orElseThrow().state(), "unchanged");
        CallbackRequest closed = store.close(r.id(), ZHANG, false, CallbackOutcome.NO_ANSWER, "tried twice", T0 + 30)
                .orElseThrow();
        assertEquals(CallbackState.CLOSED, closed.state());
        assertEquals(CallbackOutcome.NO_ANSWER, closed.outcome());
        assertEquals("tried twice", closed.outcomeNote());
        assertEquals(T0 + 30, closed.closedAtMs());
        assertEquals(ZHANG, closed.staffId());
        assertEquals(Optional.of(closed), store.get(r.id()), "kept for the retention");
        assertEquals(List.of(), store.takenBy(ZHANG));
        assertEquals(Optional.empty(), store.close(r.id(), ZHANG, true, CallbackOutcome.REACHED, "", T0 + 40),
                "closed once");
        assertEquals(Optional.empty(), store.take(r.id(), WANG, T0 + 40));
    }

    @Test
    void whoMayCloseAnyClosesAnOpenOrSomeoneElsesRequestAndIsRecorded() {
        CallbackRequest open = request(LI, T0);
        CallbackRequest taken = request(CHEN, T0 + 1);
        store.create(open);
        store.create(taken);
        store.take(taken.id(), ZHANG, T0 + 5);
        Subject supervisor = Subject.of("sup-liu");
        CallbackRequest a = store.close(open.id(), supervisor, true, CallbackOutcome.NOT_NEEDED, "duplicate", T0 + 9)
                .orElseThrow();
        assertEquals(supervisor, a.staffId(), "the closer of an open request is its staff member");
        CallbackRequest b = store.close(taken.id(), supervisor, true, CallbackOutcome.REACHED, "", T0 + 9).orElseThrow();
        assertEquals(ZHANG, b.staffId(), "who took it stays recorded");
        assertEquals(List.of(), store.takenBy(ZHANG));
        assertEquals(0, store.countOpen());
        assertFalse(store.activeOf(LI).isPresent());
        assertFalse(store.activeOf(CHEN).isPresent());
        assertTrue(store.close(CallbackId.random(), supervisor, true, CallbackOutcome.REACHED, "", T0).isEmpty());
    }
}
