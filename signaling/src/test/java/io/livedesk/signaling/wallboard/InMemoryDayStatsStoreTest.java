package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.async.Stages;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemoryDayStatsStoreTest extends DayStatsStoreContract {
    private InMemoryDayStatsStore store;

    @Override
    protected DayStatsStore createStore() {
        store = new InMemoryDayStatsStore(2);
        return store;
    }

    @Override
    protected DayStatsStore otherNode() {
        return store;
    }

    @Test
    void onlyTheNewestDaysAreKept() {
        for (int d = 0; d < 4; d++) {
            Stages.await(store.add(DAY.plusDays(d), Map.of(ANSWERED, 1L)));
        }
        assertEquals(Map.of(), store.read(DAY.plusDays(1)));
        assertEquals(Map.of(ANSWERED, 1L), store.read(DAY.plusDays(2)));
        assertEquals(Map.of(ANSWERED, 1L), store.read(DAY.plusDays(3)));
    }
}
