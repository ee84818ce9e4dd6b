package io.livedesk.media.bwe;

/**
 * The transport-wide sequence numbers the bridge gave the packets it sent one receiver, with when and how large
 * each was: what the receiver's transport-cc feedback is matched against. A ring of primitive arrays (no object
 * per packet), {@link #CAPACITY} packets deep, several seconds at a video receiver's packet rate; feedback about an
 * older number finds nothing and is ignored.
 *
 * <p>{@link #record} runs under the receiver's send lock (any thread that sends to it), {@link #take} on the
 * receiver's own receive thread when its feedback comes: both synchronize on this object, uncontended in the
 * common case.
 */
public final class SentPackets {
    /** A power of two. */
    public static final int CAPACITY = 2048;
    private static final int MASK = CAPACITY - 1;

    private final long[] sentNanos = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    /** The sequence number held by each slot, or -1 (empty, or already reported). */
    private final int[] sequences = new int[CAPACITY];
    private int next;
    private long recorded;

    /** One reported packet, filled in by {@link #take}; the caller keeps one and reuses it. */
    public static final class Sent {
        public long sentNanos;
        public int bytes;
    }

    public SentPackets() {
        java.util.Arrays.fill(sequences, -1);
    }

    /**
     * Numbers one packet about to be sent.
     *
     * @return its transport-wide sequence number (16 bits)
     */
    public synchronized int record(int bytes, long nowNanos) {
        int seq = next;
        next = (next + 1) & 0xFFFF;
        int slot = seq & MASK;
        sequences[slot] = seq;
        sentNanos[slot] = nowNanos;
        sizes[slot] = bytes;
        recorded++;
        return seq;
    }

    /**
     * The send time and size of {@code seq}, once: a second report of the same number (feedback repeats a late
     * packet) finds nothing, so acknowledged bytes are not counted twice.
     *
     * @return false when the number is unknown, too old, or already reported
     */
    public synchronized boolean take(int seq, Sent out) {
        int slot = seq & MASK;
        if (sequences[slot] != seq) {
            return false;
        }
        sequences[slot] = -1;
        out.sentNanos = sentNanos[slot];
        out.bytes = sizes[slot];
        return true;
    }

    /** Packets numbered so far. */
    public synchronized long recorded() {
        return recorded;
    }
}
