package io.livedesk.bench.sockets;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayResultTest {
    private static Histogram latency(long... micros) {
        Histogram h = new Histogram(3);
        for (long m : micros) {
            h.recordValue(m);
        }
        return h;
    }

    /** 1,000 packets sent to 10 viewers a side; A sent 1,004 over the relay (4 RTCP). */
    private static RelayResult result(long receivedA, long receivedB, double cpuA, double cpuB) {
        return new RelayResult("netty", 1_000, 10, receivedA, receivedB, 0, null, cpuA, cpuB, 0.5, 10,
                latency(300, 400, 500), latency(600, 700, 800), 1_004, 1_003);
    }

    @Test
    void perCpuSecondSumsBothBridgesAndCountsTheRelayCopyOnA() {
        RelayResult r = result(10_000, 10_000, 0.5, 0.25);

        assertEquals(20_000 / 0.75, r.perCpuSecond(), 1e-6, "viewers of both sides over both processes' CPU");
        assertEquals(11_004 / 0.5, r.perCpuSecondA(), 1e-6, "A's viewers and what it sent over the relay");
        assertEquals(10_000 / 0.25, r.perCpuSecondB(), 1e-6);
        assertEquals(1.004, r.relayPacketsPerSent(), 1e-9, "once per packet, plus RTCP");
        assertEquals(1.004, r.relayPacketsPerViewerCopy(), 1e-9, "each viewer on A got 1,000");
    }

    @Test
    void aQueueDrainedInTheWindowInflatesPerSentButNotPerViewerCopy() {
        // A was behind when the window opened: its viewers got 1,100 copies each of 1,000 sent in the window.
        RelayResult r = new RelayResult("netty", 1_000, 10, 11_000, 11_000, 0, null, 0.5, 0.5, 0.5, 10,
                latency(1), latency(1), 1_100, 1_100);

        assertEquals(1.1, r.relayPacketsPerSent(), 1e-9);
        assertEquals(1.0, r.relayPacketsPerViewerCopy(), 1e-9);
    }

    @Test
    void lossIsPerSideAgainstSentTimesViewers() {
        RelayResult r = result(10_000, 9_500, 0.5, 0.25);

        assertEquals(10_000, r.expectedPerSide());
        assertEquals(0, r.lossPercentA());
        assertEquals(5.0, r.lossPercentB(), 1e-9);
    }

    @Test
    void noCpuOrNothingSentIsZeroNotInfinite() {
        RelayResult r = new RelayResult("netty", 0, 10, 0, 0, 0, null, 0, 0, 0, 10, latency(1), latency(1), 0, 0);

        assertEquals(0, r.perCpuSecond());
        assertEquals(0, r.relayPacketsPerSent());
        assertEquals(0, r.relayPacketsPerViewerCopy());
        assertEquals(0, r.lossPercentB());
    }

    @Test
    void reportGivesBothSidesAndWhatTheRelayAdds() {
        String text = result(10_000, 10_000, 0.5, 0.25).text();

        assertTrue(text.contains("relay: A out 1,004 (1.0040 per sent packet, 1.0040 per copy an A viewer got), B in 1,003"),
                text);
        assertTrue(text.contains("across the relay p50 +0.300 ms"), text);
        assertTrue(result(10_000, 10_000, 0.5, 0.25).json().contains("\"perCpuSecondB\":40000"));
    }
}
