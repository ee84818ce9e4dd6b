package io.livedesk.bench.driver;

import java.util.Arrays;
import java.util.Locale;

/**
 * Percentiles of a few hundred request times by nearest rank (no histogram: every sample is kept), in milliseconds.
 *
 * @param count samples
 */
record Percentiles(int count, double p50Ms, double p99Ms, double maxMs) {
    static Percentiles of(long[] nanos) {
        if (nanos.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, ms(rank(sorted, 50)), ms(rank(sorted, 99)), ms(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code p} % of them at or below it. */
    static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    String text() {
        return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)", p50Ms, p99Ms, maxMs, count);
    }

    String json() {
        return String.format(Locale.ROOT, "{\"n\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}", count, p50Ms,
                p99Ms, maxMs);
    }
}
