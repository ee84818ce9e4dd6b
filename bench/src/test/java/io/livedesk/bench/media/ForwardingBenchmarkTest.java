package io.livedesk.bench.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Runs the forwarding benchmark for about a second with tiny parameters; checks the numbers are sane, not fast. */
class ForwardingBenchmarkTest {
    @Test
    void forwardsVerifiableSrtpAndReportsSaneNumbers() throws Exception {
        ForwardingBenchmark bench = new ForwardingBenchmark();
        bench.conferencesPerWorker = 2;
        bench.endpointsPerConference = 3;
        bench.warmupSeconds = 0.3;
        bench.durationSeconds = 0.7;
        bench.verify = true;
        ForwardingBenchmark.Result r = bench.run();

        assertTrue(r.inputPackets() > 0, r.text());
        assertTrue(r.forwardedPackets() > 0, r.text());
        // Fan-out 2; allow for packets in flight at the window's edges.
        assertTrue(Math.abs(r.forwardedPackets() - 2 * r.inputPackets()) <= 4, r.text());
        assertEquals(0, r.bridgeDropped(), r.text());
        assertEquals(0, r.verifyFailed(), r.text());
        assertTrue(r.verifiedOk() >= r.forwardedPackets(), r.text());
        assertTrue(r.workerCpuSeconds() > 0 && r.forwardedPerCpuSecond() > 0, r.text());
        assertTrue(r.p50Micros() > 0 && r.p50Micros() <= r.p99Micros() && r.p99Micros() <= r.maxMicros(), r.text());
        assertTrue(r.allocBytesPerForwarded() > 0 && r.allocBytesPerForwarded() < 1_000_000, r.text());
        assertTrue(r.json().startsWith("{\"benchmark\":\"media-forwarding\""), r.json());
    }

    @Test
    void realisticPaceForwardsToo() throws Exception {
        ForwardingBenchmark bench = new ForwardingBenchmark();
        bench.conferencesPerWorker = 1;
        bench.endpointsPerConference = 2;
        bench.pace = "realistic";
        bench.warmupSeconds = 0.2;
        bench.durationSeconds = 0.5;
        ForwardingBenchmark.Result r = bench.run();

        // 2 endpoints x (30 fps x 8 + 50 audio) packets/s x 0.5 s, each forwarded once: ~290; be lenient.
        assertTrue(r.forwardedPackets() > 100 && r.forwardedPackets() < 1000, r.text());
        assertEquals(0, r.bridgeDropped(), r.text());
        assertTrue(r.p99Micros() > 0, r.text());
    }
}
