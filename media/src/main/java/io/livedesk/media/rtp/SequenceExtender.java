package io.livedesk.media.rtp;

/**
 * Extends one stream's 16-bit RTP sequence numbers to a 64-bit count that does not wrap, in the
 * manner of RFC 3550 appendix A.1: a forward step of less than {@code maxDropout} is accepted (a
 * wrap adds a cycle), a packet at most {@code maxMisorder} behind the highest is a late or
 * duplicate packet and gets the extended value of its own cycle, and anything else is a jump that is
 * only believed when the next packet continues from it (the sender restarted its numbering).
 *
 * <p>Unlike A.1 there is no probation for a new source: the first packet is accepted at once,
 * because an SFU must forward a keyframe without delay. After a confirmed restart the extended
 * values keep increasing (the new numbering is placed in the next cycle), so anything keyed by
 * extended sequence stays ordered; {@link #restarts()} counts restarts for statistics.
 *
 * <p>Not thread-safe: one instance per stream, updated by the thread that receives it.
 */
public final class SequenceExtender {
    /** Returned by {@link #extend} for a jump not (yet) confirmed; the packet is suspect. */
    public static final long REJECTED = Long.MIN_VALUE;
    public static final int DEFAULT_MAX_DROPOUT = 3000;
    public static final int DEFAULT_MAX_MISORDER = 100;

    private final int maxDropout;
    private final int maxMisorder;
    private boolean started;
    /** Highest sequence number seen, 16 bits. */
    private int maxSeq;
    /** Number of wraps counted, times 65536. */
    private long cycles;
    /** After an unconfirmed jump: the sequence number that would confirm it, else -1. */
    private int badSeq = -1;
    private long restarts;

    public SequenceExtender() {
        this(DEFAULT_MAX_DROPOUT, DEFAULT_MAX_MISORDER);
    }

    public SequenceExtender(int maxDropout, int maxMisorder) {
        if (maxDropout <= 0 || maxMisorder <= 0 || maxDropout + maxMisorder >= SequenceNumbers.MODULUS) {
            throw new IllegalArgumentException("need 0 < maxDropout, 0 < maxMisorder, sum < 65536");
        }
        this.maxDropout = maxDropout;
        this.maxMisorder = maxMisorder;
    }

    /**
     * Accounts for a received sequence number and returns its extended value, or {@link #REJECTED}
     * for a big jump seen once. A late packet from before the first one (across the wrap) gets a
     * negative extended value.
     */
    public long extend(int seq) {
        seq &= SequenceNumbers.MASK;
        if (!started) {
            restartAt(seq, 0);
            started = true;
            return seq;
        }
        int forward = (seq - maxSeq) & SequenceNumbers.MASK;
        if (forward < maxDropout) {
            if (seq < maxSeq) {
                cycles += SequenceNumbers.MODULUS;
            }
            maxSeq = seq;
            badSeq = -1;
            return cycles + seq;
        }
        if (forward <= SequenceNumbers.MODULUS - maxMisorder) {
            if (seq == badSeq) {
                // Two packets in a row continue the jump: the sender restarted its numbering.
                restarts++;
                restartAt(seq, seq > maxSeq ? cycles : cycles + SequenceNumbers.MODULUS);
                return cycles + seq;
            }
            badSeq = (seq + 1) & SequenceNumbers.MASK;
            return REJECTED;
        }
        // Late or duplicate: within maxMisorder behind the highest; it belongs to the previous
        // cycle if its raw value is above the highest.
        return seq > maxSeq ? cycles - SequenceNumbers.MODULUS + seq : cycles + seq;
    }

    private void restartAt(int seq, long cycleBase) {
        maxSeq = seq;
        cycles = cycleBase;
        badSeq = -1;
    }

    /** Extended value of the highest sequence number accepted; -1 before the first packet. */
    public long highest() {
        return started ? cycles + maxSeq : -1;
    }

    /** How many times the sequence number wrapped (including the cycles skipped by restarts). */
    public long rollovers() {
        return cycles >>> 16;
    }

    public long restarts() {
        return restarts;
    }
}
