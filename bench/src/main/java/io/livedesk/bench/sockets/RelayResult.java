package io.livedesk.bench.sockets;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * One relay run's window ({@link Scenario#relay}): what bridge A's viewers and bridge B's (over the relay) received
 * of the sender's packets, each bridge process's CPU, each side's latency, and the relay's own packet counters (A's
 * packets out over it, B's packets in; both count RTCP too, a few packets a second).
 *
 * @param viewersPerSide viewers on each bridge
 * @param relayOut       packets bridge A sent over the relay in the window
 * @param relayIn        packets bridge B received over it
 */
record RelayResult(String target, long sent, int viewersPerSide, long receivedA, long receivedB, long bad,
                   String firstBad, double cpuA, double cpuB, double generatorCpuSeconds, double seconds,
                   Histogram latencyA, Histogram latencyB, long relayOut, long relayIn) {

    long expectedPerSide() {
        return sent * viewersPerSide;
    }

    double lossPercentA() {
        return loss(receivedA);
    }

    double lossPercentB() {
        return loss(receivedB);
    }

    private double loss(long received) {
        long expected = expectedPerSide();
        return expected == 0 ? 0 : 100.0 * Math.max(0, expected - received) / expected;
    }

    /** Packets delivered to viewers on both bridges per CPU-second of both bridge processes. */
    double perCpuSecond() {
        return perCpu(receivedA + receivedB, cpuA + cpuB);
    }

    /** Bridge A's copies (to its viewers and over the relay) per its CPU-second. */
    double perCpuSecondA() {
        return perCpu(receivedA + relayOut, cpuA);
    }

    /** Bridge B's copies to its viewers per its CPU-second. */
    double perCpuSecondB() {
        return perCpu(receivedB, cpuB);
    }

    /** Packets A sent over the relay per packet the sender sent: 1 plus RTCP if the relay carries each packet once. */
    double relayPacketsPerSent() {
        return sent == 0 ? 0 : (double) relayOut / sent;
    }

    /**
     * Packets A sent over the relay per copy one of A's viewers got in the same window: both come out of the same
     * pass over each packet A read, so this stays at 1 (plus RTCP) when A drains a queue built up before the window,
     * where {@link #relayPacketsPerSent} goes above 1.
     */
    double relayPacketsPerViewerCopy() {
        return receivedA == 0 || viewersPerSide == 0 ? 0 : (double) relayOut * viewersPerSide / receivedA;
    }

    private static double perCpu(long packets, double cpuSeconds) {
        return cpuSeconds <= 0 ? 0 : packets / cpuSeconds;
    }

    /** p-th percentile in milliseconds. */
    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    String text() {
        return String.format(Locale.ROOT,
                "  %-6s sent %,d; relay: A out %,d (%.4f per sent packet, %.4f per copy an A viewer got), B in %,d%n"
                        + "         bridge A: viewers got %,d (%.0f/s), lost %.3f %%; CPU %.2f s (%.2f cores) -> %,.0f copies"
                        + " (viewers + relay) per CPU-second; added latency p50 %.3f ms p99 %.3f ms max %.3f ms%n"
                        + "         bridge B: viewers got %,d (%.0f/s), lost %.3f %%; CPU %.2f s (%.2f cores) -> %,.0f copies"
                        + " per CPU-second; added latency p50 %.3f ms p99 %.3f ms max %.3f ms%n"
                        + "         both bridges: %,.0f delivered per CPU-second (%.2f cores); across the relay p50 +%.3f ms,"
                        + " p99 +%.3f ms; bad %d; load generator %.2f cores%n",
                target, sent, relayOut, relayPacketsPerSent(), relayPacketsPerViewerCopy(), relayIn,
                receivedA, receivedA / seconds, lossPercentA(), cpuA, cpuA / seconds, perCpuSecondA(),
                ms(latencyA, 50), ms(latencyA, 99), latencyA.getMaxValue() / 1000.0,
                receivedB, receivedB / seconds, lossPercentB(), cpuB, cpuB / seconds, perCpuSecondB(),
                ms(latencyB, 50), ms(latencyB, 99), latencyB.getMaxValue() / 1000.0,
                perCpuSecond(), (cpuA + cpuB) / seconds, ms(latencyB, 50) - ms(latencyA, 50),
                ms(latencyB, 99) - ms(latencyA, 99), bad, generatorCpuSeconds / seconds)
                + (firstBad == null ? "" : "         first bad packet: " + firstBad + "\n");
    }

    String json() {
        return String.format(Locale.ROOT,
                "{\"target\":\"%s\",\"sent\":%d,\"viewersPerSide\":%d,\"receivedA\":%d,\"receivedB\":%d,\"bad\":%d,"
                        + "\"cpuSecondsA\":%.3f,\"cpuSecondsB\":%.3f,\"generatorCpuSeconds\":%.3f,\"seconds\":%.3f,"
                        + "\"relayOut\":%d,\"relayIn\":%d,\"relayPerViewerCopy\":%.4f,\"perCpuSecond\":%.0f,"
                        + "\"perCpuSecondA\":%.0f,\"perCpuSecondB\":%.0f,\"p50MsA\":%.3f,\"p99MsA\":%.3f,\"p50MsB\":%.3f,\"p99MsB\":%.3f}",
                target, sent, viewersPerSide, receivedA, receivedB, bad, cpuA, cpuB, generatorCpuSeconds, seconds,
                relayOut, relayIn, relayPacketsPerViewerCopy(), perCpuSecond(), perCpuSecondA(), perCpuSecondB(),
                ms(latencyA, 50), ms(latencyA, 99), ms(latencyB, 50), ms(latencyB, 99));
    }
}
