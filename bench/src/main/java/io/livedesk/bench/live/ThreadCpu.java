package io.livedesk.bench.live;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a process's CPU goes, by thread: user and kernel time of each thread from
 * {@code /proc/PID/task/TID/stat} (Linux), grouped by thread name without its numbers ({@code ld-io-7-3} and
 * {@code ld-io-7-1} are both {@code ld-io}), so that two snapshots give each group's share over a window.
 */
final class ThreadCpu {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ

    private ThreadCpu() {
    }

    /** Per thread id: {name group, total ticks, kernel ticks}; empty if the process is gone or not Linux. */
    static Map<String, Object[]> snapshot(long pid) {
        Map<String, Object[]> out = new HashMap<>();
        if (pid <= 0) {
            return out;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    Object[] parsed = parse(Files.readString(t.resolve("stat")));
                    if (parsed != null) {
                        out.put(t.getFileName().toString(), parsed);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** One {@code stat} line: {group, utime + stime, stime} in ticks, or null. */
    static Object[] parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] f = stat.substring(close + 2).split(" ");
        long user = Long.parseLong(f[11]);
        long kernel = Long.parseLong(f[12]);
        return new Object[]{group(stat.substring(open + 1, close)), user + kernel, kernel};
    }

    /** A thread's name without the numbers pools add: {@code ld-worker-12} → {@code ld-worker}, {@code GC Thread#3} → {@code GC Thread}. */
    static String group(String name) {
        String g = name.replaceAll("[-#]?\\d+(-\\d+)*$", "");
        g = g.replaceAll("-\\d+$", "");
        return g.isEmpty() ? name : g;
    }

    /**
     * Cores used per thread group between two snapshots over {@code seconds}, largest first, groups under
     * 0.005 cores left out: {group: [cores, kernel cores]}.
     */
    static Map<String, double[]> cores(Map<String, Object[]> before, Map<String, Object[]> after, double seconds) {
        Map<String, double[]> sum = new HashMap<>();
        for (Map.Entry<String, Object[]> e : after.entrySet()) {
            Object[] a = e.getValue();
            Object[] b = before.get(e.getKey());
            long total = (long) a[1] - (b == null ? 0 : (long) b[1]);
            long kernel = (long) a[2] - (b == null ? 0 : (long) b[2]);
            double[] s = sum.computeIfAbsent((String) a[0], k -> new double[2]);
            s[0] += total / TICKS_PER_SECOND / seconds;
            s[1] += kernel / TICKS_PER_SECOND / seconds;
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        sum.entrySet().stream().filter(e -> e.getValue()[0] >= 0.005)
                .sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> out.put(e.getKey(), new double[]{round(e.getValue()[0]), round(e.getValue()[1])}));
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
