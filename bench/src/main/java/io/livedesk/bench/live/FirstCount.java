package io.livedesk.bench.live;

/**
 * Join-to-first-count for one viewer: from sending {@code broadcast.join} to the first {@code broadcast.stats}
 * whose count includes the viewer.
 *
 * <p>A count "includes" the viewer when it is at least the count in the viewer's own {@code broadcast.joined}.
 * The server writes the viewer's presence before it reads that count, so the joined count includes the
 * viewer; while nobody leaves (the benchmark's viewers stay, and their node refreshes them), the count never
 * goes down, so any count at least that large was read after the viewer's presence was written, or at a time
 * when it was already there. A {@code broadcast.stats} can arrive before the {@code broadcast.joined} reply
 * (the node's stats timer may reach the new member first): the first two such are kept and judged when the
 * reply comes. Confined to the viewer's event loop.
 */
final class FirstCount {
    private long joinSentNs = -1;
    private long joinedCount = -1;
    private boolean done;
    private long early1Ns = -1;
    private long early1Count;
    private long early2Ns = -1;
    private long early2Count;

    void joinSent(long ns) {
        joinSentNs = ns;
    }

    boolean done() {
        return done;
    }

    /** The joined reply; returns the join-to-first-count latency in ns if an earlier stats frame settles it, else -1. */
    long joined(long count, long ns) {
        joinedCount = count;
        if (early1Ns >= 0 && early1Count >= count) {
            return finish(early1Ns);
        }
        if (early2Ns >= 0 && early2Count >= count) {
            return finish(early2Ns);
        }
        return -1;
    }

    /** A stats frame; returns the latency in ns if this is the first that includes the viewer, else -1. */
    long stats(long count, long ns) {
        if (done || joinSentNs < 0) {
            return -1;
        }
        if (joinedCount < 0) {
            if (early1Ns < 0) {
                early1Ns = ns;
                early1Count = count;
            } else if (early2Ns < 0) {
                early2Ns = ns;
                early2Count = count;
            }
            return -1;
        }
        return count >= joinedCount ? finish(ns) : -1;
    }

    private long finish(long ns) {
        done = true;
        return Math.max(0, ns - joinSentNs);
    }
}
