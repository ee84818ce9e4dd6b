package io.livedesk.bench.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {
    @Test
    void nearestRankOverAHundredSamples() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[99 - i] = (i + 1) * 1_000_000L; // 1..100 ms, unsorted
        }
        Percentiles p = Percentiles.of(nanos);
        assertEquals(100, p.count());
        assertEquals(50.0, p.p50Ms());
        assertEquals(99.0, p.p99Ms());
        assertEquals(100.0, p.maxMs());
        assertEquals(100_000_000L, nanos[0], "the caller's array is left as it was");
    }

    @Test
    void fewSamplesTakeTheLargestForP99() {
        Percentiles p = Percentiles.of(new long[] {3_000_000L, 1_000_000L, 2_000_000L});
        assertEquals(2.0, p.p50Ms());
        assertEquals(3.0, p.p99Ms());
        assertEquals(1, Percentiles.of(new long[] {5}).count());
    }

    @Test
    void noSamplesIsNotANumber() {
        Percentiles p = Percentiles.of(new long[0]);
        assertEquals(0, p.count());
        assertTrue(Double.isNaN(p.p50Ms()));
    }
}
