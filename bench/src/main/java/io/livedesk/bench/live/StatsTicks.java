package io.livedesk.bench.live;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fan-out of {@code broadcast.stats}: each node sends one frame to all its viewers at most once a second,
 * the same numbers to each. A tick is one node's (viewers, likes) pair; for each, when the first and the last
 * of its viewers received it, and how many did. The spread (last minus first) is how long that node's
 * fan-out took to reach everyone, as the generator saw it.
 */
final class StatsTicks {
    private final Map<Key, Tick> ticks = new ConcurrentHashMap<>();
    private volatile boolean open;

    record Key(int node, long viewers, long likes) {
    }

    static final class Tick {
        long firstNs = Long.MAX_VALUE;
        long lastNs = Long.MIN_VALUE;
        int count;

        synchronized void add(long ns) {
            firstNs = Math.min(firstNs, ns);
            lastNs = Math.max(lastNs, ns);
            count++;
        }
    }

    void open(boolean value) {
        open = value;
    }

    void seen(int node, long viewers, long likes, long ns) {
        if (!open) {
            return;
        }
        ticks.computeIfAbsent(new Key(node, viewers, likes), k -> new Tick()).add(ns);
    }

    /**
     * The ticks whose first frame arrived in [{@code fromNs}, {@code toNs}]: their spreads, and how many reached
     * every viewer of their node ({@code viewersPerNode}).
     */
    Result result(long fromNs, long toNs, int[] viewersPerNode) {
        Histogram spreadUs = new Histogram(ChatBook.MAX_US, 3);
        int counted = 0;
        int complete = 0;
        double minShare = 1.0;
        for (Map.Entry<Key, Tick> e : ticks.entrySet()) {
            Tick t = e.getValue();
            synchronized (t) {
                if (t.firstNs < fromNs || t.firstNs > toNs) {
                    continue;
                }
                counted++;
                int node = e.getKey().node();
                int expected = node < viewersPerNode.length ? viewersPerNode[node] : 0;
                if (t.count >= expected) {
                    complete++;
                }
                if (expected > 0) {
                    minShare = Math.min(minShare, t.count / (double) expected);
                }
                spreadUs.recordValue(Math.min(ChatBook.MAX_US, Math.max(0, (t.lastNs - t.firstNs) / 1000)));
            }
        }
        return new Result(counted, complete, counted == 0 ? 0 : minShare, spreadUs);
    }

    record Result(int ticks, int reachedAll, double minShareReached, Histogram spreadUs) {
    }
}
