package io.livedesk.signaling.live;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@link WatchHistory} contract; subclasses only provide the store. */
public abstract class WatchHistoryContract {
    static final long T0 = 1_700_000_000_000L;
    static final Subject ANN = Subject.of("cust-ann");

    private WatchHistory store;

    protected abstract WatchHistory createStore();

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

    private void watched(Subject who, String broadcast, long at) {
        Stages.await(store.watched(who, BroadcastId.of(broadcast), at));
    }

    @Test
    void newestFirstAndWatchingAgainMovesItToTheFront() {
        watched(ANN, "b-1", T0);
        watched(ANN, "b-2", T0 + 10);
        watched(ANN, "b-1", T0 + 20);
        watched(Subject.of("cust-other"), "b-3", T0 + 30);

        assertEquals(List.of(new WatchHistory.Watched(BroadcastId.of("b-1"), T0 + 20),
                new WatchHistory.Watched(BroadcastId.of("b-2"), T0 + 10)), store.recent(ANN, 10));
        assertEquals(1, store.recent(ANN, 1).size());
        assertEquals(List.of(), store.recent(Subject.of("cust-nobody"), 10));
    }

    @Test
    void onlyTheNewestAreKept() {
        for (int i = 0; i < WatchHistory.LIMIT + 5; i++) {
            watched(ANN, "b-" + i, T0 + i);
        }
        List<WatchHistory.Watched> kept = store.recent(ANN, 100);
        assertEquals(WatchHistory.LIMIT, kept.size());
        assertEquals(BroadcastId.of("b-" + (WatchHistory.LIMIT + 4)), kept.get(0).broadcastId());
        assertEquals(BroadcastId.of("b-5"), kept.get(kept.size() - 1).broadcastId());
    }
}
