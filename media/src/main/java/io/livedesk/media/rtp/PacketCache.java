package io.livedesk.media.rtp;

import java.util.Arrays;

/**
 * One stream's (one SSRC's) store of recently received RTP packets, from which the bridge answers
 * NACKs (RFC 4585) by retransmitting. The owner of the stream keeps one cache per SSRC.
 *
 * <p>Packets live in a ring of {@code capacity} slots (rounded up to a power of two) indexed by
 * sequence number, so a lookup is one array access. Bytes are copied into the slot's own
 * {@code byte[maxPacketSize]}, allocated the first time the slot is used and reused after, so
 * memory is bounded by {@code capacity * maxPacketSize} and there is no allocation per packet once
 * the ring has filled. A packet is served only while it is among the last {@code capacity}
 * sequence numbers and younger than {@code maxAgeMs}: older ones would arrive too late to help
 * the decoder.
 *
 * <p>Thread-safety: methods are {@code synchronized}. The writer is the stream's receive thread
 * and NACKs may be answered from receivers' threads; the lock is uncontended in the usual case.
 * Times are passed in by the caller (monotonic milliseconds), so the hot path reads no clock.
 */
public final class PacketCache {
    private final int mask;
    private final int maxPacketSize;
    private final long maxAgeMs;
    private final byte[][] data;
    private final int[] lengths;
    /** Sequence number held by each slot, or -1 for an empty slot. */
    private final int[] seqs;
    private final long[] insertedAtMs;
    private int highestSeq = -1;
    private long highestAtMs;
    private long inserted;
    private long rejected;
    private long hits;
    private long misses;

    /**
     * @param capacity packets kept, 1-32768 (rounded up to a power of two, so that sequence numbers
     *     map to slots consistently across the 16-bit wrap and "newer" stays unambiguous)
     * @param maxPacketSize largest packet stored; bigger ones are refused
     * @param maxAgeMs how long a packet may be served after it was inserted
     */
    public PacketCache(int capacity, int maxPacketSize, long maxAgeMs) {
        if (capacity < 1 || capacity > SequenceNumbers.MODULUS / 2) {
            throw new IllegalArgumentException("capacity must be 1-32768: " + capacity);
        }
        if (maxPacketSize < RtpPacket.FIXED_HEADER_LENGTH || maxAgeMs <= 0) {
            throw new IllegalArgumentException("need maxPacketSize >= 12 and maxAgeMs > 0");
        }
        int slots = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
        this.mask = slots - 1;
        this.maxPacketSize = maxPacketSize;
        this.maxAgeMs = maxAgeMs;
        this.data = new byte[slots][];
        this.lengths = new int[slots];
        this.seqs = new int[slots];
        this.insertedAtMs = new long[slots];
        Arrays.fill(seqs, -1);
    }

    /** Number of slots: the capacity asked for, rounded up to a power of two. */
    public int capacity() {
        return mask + 1;
    }

    /**
     * Copies {@code packet} into the cache, replacing whatever held its slot unless that is newer
     * (a late packet must not evict a recent one).
     *
     * @return false if the packet is larger than {@code maxPacketSize} or older than the unexpired
     *     packet in its slot
     */
    public synchronized boolean insert(RtpPacket packet, long nowMs) {
        int len = packet.length();
        if (len > maxPacketSize) {
            rejected++;
            return false;
        }
        int seq = packet.sequenceNumber();
        int slot = seq & mask;
        if (seqs[slot] >= 0 && !isExpired(insertedAtMs[slot], nowMs) && SequenceNumbers.isNewer(seqs[slot], seq)) {
            rejected++;
            return false;
        }
        // An expired highest packet means the stream paused or restarted its numbering: start the
        // window afresh here, so a sender that restarted lower is followed after at most maxAgeMs
        // (or at once, if the owner calls clear()).
        if (highestSeq < 0 || isExpired(highestAtMs, nowMs)) {
            highestSeq = seq;
            highestAtMs = nowMs;
        } else if (SequenceNumbers.isNewer(seq, highestSeq)) {
            forgetSkipped(highestSeq, seq);
            highestSeq = seq;
            highestAtMs = nowMs;
        }
        byte[] dst = data[slot];
        if (dst == null) {
            dst = new byte[maxPacketSize];
            data[slot] = dst;
        }
        System.arraycopy(packet.buffer(), packet.offset(), dst, 0, len);
        lengths[slot] = len;
        seqs[slot] = seq;
        insertedAtMs[slot] = nowMs;
        inserted++;
        return true;
    }

    /**
     * Copies packet {@code seq} into {@code dst} at {@code dstOff} if it is cached, among the last
     * {@code capacity} sequence numbers and not older than {@code maxAgeMs}.
     *
     * @return the packet length, or -1 if it is not available
     * @throws IndexOutOfBoundsException if the packet does not fit in {@code dst}
     */
    public synchronized int copy(int seq, long nowMs, byte[] dst, int dstOff) {
        int slot = seq & mask;
        if (!isServable(seq, slot, nowMs)) {
            misses++;
            return -1;
        }
        int len = lengths[slot];
        System.arraycopy(data[slot], 0, dst, dstOff, len);
        hits++;
        return len;
    }

    /** True if {@link #copy} would return packet {@code seq} now. */
    public synchronized boolean contains(int seq, long nowMs) {
        return isServable(seq, seq & mask, nowMs);
    }

    private boolean isServable(int seq, int slot, long nowMs) {
        seq &= SequenceNumbers.MASK;
        if (seqs[slot] != seq || isExpired(insertedAtMs[slot], nowMs)) {
            return false;
        }
        // Serve only the last `capacity` sequence numbers: a late packet stored far behind the
        // highest is useless to the receiver.
        int behind = SequenceNumbers.delta(highestSeq, seq);
        return behind >= 0 && behind <= mask;
    }

    /**
     * Empties the slots of the sequence numbers lost between {@code from} and {@code to}, so a slot
     * never holds a copy from an earlier 16-bit cycle under a number that is now in the window.
     */
    private void forgetSkipped(int from, int to) {
        int skipped = Math.min(SequenceNumbers.delta(to, from) - 1, mask + 1);
        for (int k = 1; k <= skipped; k++) {
            seqs[(from + k) & mask] = -1;
        }
    }

    private boolean isExpired(long insertedAt, long nowMs) {
        return nowMs - insertedAt > maxAgeMs;
    }

    /** Forgets every packet (e.g. when the stream's sender restarts); keeps the slot buffers. */
    public synchronized void clear() {
        Arrays.fill(seqs, -1);
        highestSeq = -1;
    }

    public synchronized long insertedCount() {
        return inserted;
    }

    /** Packets refused: too large, or older than the packet already in their slot. */
    public synchronized long rejectedCount() {
        return rejected;
    }

    public synchronized long hitCount() {
        return hits;
    }

    public synchronized long missCount() {
        return misses;
    }
}
