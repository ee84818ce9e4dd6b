package io.livedesk.bench.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventDelaysTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode board(int waiting, String call) throws Exception {
        return JSON.readTree("{\"type\":\"wallboard\",\"queues\":[{\"topic\":\"wealth\",\"language\":\"zh\",\"waiting\":"
                + waiting + ",\"ringing\":0}],\"calls\":[" + (call == null ? "" : "{\"callId\":\"" + call + "\"}") + "]}");
    }

    @Test
    void eachEventIsTimedToTheFirstSnapshotAfterThePreviousEventThatShowsIt() throws Exception {
        List<EventDelays.Event> events = List.of(
                new EventDelays.Event("request", 1_000, b -> WallboardBenchmark.waiting(b, "wealth", "zh") >= 1),
                new EventDelays.Event("answer", 2_000, b -> WallboardBenchmark.hasCall(b, "r-1")),
                new EventDelays.Event("end", 3_000, b -> !WallboardBenchmark.hasCall(b, "r-1")
                        && WallboardBenchmark.waiting(b, "wealth", "zh") == 0));
        List<EventDelays.Snapshot> fast = List.of(new EventDelays.Snapshot(500, board(0, null)),
                new EventDelays.Snapshot(1_200, board(1, null)), new EventDelays.Snapshot(1_990, board(0, "r-1")),
                new EventDelays.Snapshot(3_900, board(0, null)));
        List<EventDelays.Snapshot> missing = List.of(new EventDelays.Snapshot(1_500, board(1, null)));

        EventDelays.Result r = EventDelays.measure(events, List.of(fast, missing));

        assertEquals(List.of(200L, 0L, 900L, 500L), r.delaysNanos(),
                "the answer showed before its reply was read: 0; the second watcher saw only the request");
        assertEquals(List.of("request", "answer", "end", "request"), r.kinds());
        assertEquals(2, r.missed());
    }

    @Test
    void aQueueOrCallIsFoundInASnapshot() throws Exception {
        assertEquals(3, WallboardBenchmark.waiting(board(3, null), "wealth", "zh"));
        assertEquals(-1, WallboardBenchmark.waiting(board(3, null), "loans", "zh"));
        assertTrue(WallboardBenchmark.hasCall(board(0, "r-9"), "r-9"));
        assertFalse(WallboardBenchmark.hasCall(board(0, "r-9"), "r-8"));
    }
}
