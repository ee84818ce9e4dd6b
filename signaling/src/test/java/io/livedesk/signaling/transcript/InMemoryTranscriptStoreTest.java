package io.livedesk.signaling.transcript;

import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemoryTranscriptStoreTest extends TranscriptStoreContract {
    @Override
    protected TranscriptStore createStore(TranscriptLimits limits) {
        return new InMemoryTranscriptStore(limits, Clock.systemUTC());
    }

    @Test
    void theCallsAppendedToLeastRecentlyGoBeyondTheCallLimit() {
        TranscriptStore store = createStore(new TranscriptLimits(Duration.ofDays(1), 10, 2));
        store.append(line("c1", "customer", T0, "one"));
        store.append(line("c2", "customer", T0, "two"));
        store.append(line("c1", "staff", T0, "one again")); // c1 is now the most recent
        store.append(line("c3", "customer", T0, "three"));
        assertEquals(List.of(), store.lines(CallId.of("c2")));
        assertEquals(List.of("one", "one again"), texts(store.lines(CallId.of("c1"))));
        assertEquals(List.of("three"), texts(store.lines(CallId.of("c3"))));
    }

    @Test
    void retentionCountsFromTheLastLine() {
        MutableClock clock = new MutableClock(java.time.Instant.ofEpochMilli(T0));
        TranscriptStore store = new InMemoryTranscriptStore(new TranscriptLimits(Duration.ofMinutes(10), 10, 10), clock);
        store.append(line("c1", "customer", T0, "one"));
        clock.advance(Duration.ofMinutes(9));
        store.append(line("c1", "staff", T0, "two"));
        clock.advance(Duration.ofMinutes(9));
        assertEquals(2, store.lines(CallId.of("c1")).size(), "18 minutes after the first line, 9 after the last");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of(), store.lines(CallId.of("c1")));
    }
}
