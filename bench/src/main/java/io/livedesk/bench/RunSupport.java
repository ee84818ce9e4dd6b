package io.livedesk.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** What every load generator needs around its run: latency summaries, its own CPU time, and a time limit. */
public final class RunSupport {
    private RunSupport() {
    }

    /** A histogram of microseconds as milliseconds: count, p50, p90, p99, p99.9, max and mean. */
    public static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return m;
        }
        m.put("p50", round(h.getValueAtPercentile(50) / 1000.0, 3));
        m.put("p90", round(h.getValueAtPercentile(90) / 1000.0, 3));
        m.put("p99", round(h.getValueAtPercentile(99) / 1000.0, 3));
        m.put("p999", round(h.getValueAtPercentile(99.9) / 1000.0, 3));
        m.put("max", round(h.getMaxValue() / 1000.0, 3));
        m.put("mean", round(h.getMean() / 1000.0, 3));
        return m;
    }

    public static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    /** The counters' current sums, in the same order. */
    public static Map<String, Long> sum(Map<String, LongAdder> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** CPU seconds this process has used, or -1 where the JVM does not say. */
    public static double ownCpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    /** Halts the process after {@code seconds} whatever it is doing, so no run outlives its bound. */
    public static void startWatchdog(PrintStream log, long seconds, String threadName) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                log.printf("time limit of %d s reached; stopping%n", seconds);
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // finished first
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }
}
