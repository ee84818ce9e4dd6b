package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.async.Stages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@link DayStatsStore} contract; subclasses only provide the store. */
public abstract class DayStatsStoreContract {
    static final LocalDate DAY = LocalDate.of(2026, 12, 5);
    static final DayCounter ANSWERED = DayCounter.queue("loans", "en", DayCounter.ANSWERED);
    static final DayCounter TALK = DayCounter.staff("staff-7", DayCounter.TALK_MS);
    static final DayCounter ODD_STAFF = DayCounter.staff("agent.li@bank:1", DayCounter.CALLS);

    private DayStatsStore store;

    /** A fresh, empty store for each test. */
    protected abstract DayStatsStore createStore();

    /** Another node's view of the same store (the same one for a store of one JVM). */
    protected abstract DayStatsStore otherNode();

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

    @Test
    void incrementsAddUpPerDayAndCounter() {
        Stages.await(store.add(DAY, Map.of(ANSWERED, 1L, TALK, 84_000L)));
        Stages.await(store.add(DAY, Map.of(ANSWERED, 2L, ODD_STAFF, 1L)));
        Stages.await(store.add(DAY.plusDays(1), Map.of(ANSWERED, 5L)));

        assertEquals(Map.of(ANSWERED, 3L, TALK, 84_000L, ODD_STAFF, 1L), store.read(DAY));
        assertEquals(Map.of(ANSWERED, 5L), store.read(DAY.plusDays(1)));
        assertEquals(Map.of(), store.read(DAY.minusDays(1)), "a day without events has no counters");
    }

    @Test
    void countsFromManyNodesAtOnceAreNeverLost() {
        DayStatsStore other = otherNode();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add((i % 2 == 0 ? store : other).add(DAY, Map.of(ANSWERED, 1L, TALK, 10L)).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertEquals(Map.of(ANSWERED, 200L, TALK, 2_000L), other.read(DAY));
    }
}
