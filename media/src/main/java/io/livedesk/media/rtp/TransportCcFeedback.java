package io.livedesk.media.rtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * One transport-wide congestion control feedback message (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): RTCP transport-layer feedback, PT 205 FMT 15, telling the media sender which transport-wide
 * sequence numbers arrived and when.
 *
 * <p>Results are kept the way the message carries them: packet {@code i} has transport sequence number
 * {@code baseSequence + i} (mod 2^16) and, if it was received, an arrival delta from the previous received
 * packet, the first one from {@code referenceTime * 64 ms}. Deltas are multiples of 250 us in
 * [-8192 ms, 8191.75 ms] (signed 16 bits of 250 us, the largest the message can carry). Instances are immutable.
 *
 * <p>Wire choices of {@link #write}, so that its output is predictable (tests compare bytes):
 * <ul>
 * <li>Packet chunks, greedily from the base sequence: a run-length chunk if the run of equal status symbols
 * reaches the last packet, or is at least 7 long and no status vector would cover more (a 1-bit vector covers
 * 14 when the next 14 symbols are all "not received" or "small delta"); otherwise a 1-bit status vector
 * (14 symbols) if the next 14 symbols fit one bit, else a 2-bit vector (7 symbols). Unused slots of the last
 * vector are 0 (not received) and lie beyond the status count. The reserved symbol 11 is never written.</li>
 * <li>Receive deltas: "small" (1 byte) when 0 to 255 ticks of 250 us, otherwise "large" (2 bytes, signed).
 * Deltas out of the 16-bit range cannot be represented: {@link #of} rejects them and the {@link Builder}
 * refuses packets that would need them, so nothing is ever clamped.</li>
 * <li>Padding as RFC 3550 and libwebrtc (Chrome) do it: P bit set, zero bytes and a last byte holding the
 * padding count (1-3). {@link #parse} accepts that, and also up to 3 trailing bytes without the P bit.</li>
 * </ul>
 */
public final class TransportCcFeedback {
    /** Most packets one message can report: the packet status count is 16 bits. */
    public static final int MAX_PACKETS = 0xFFFF;
    /** Unit of the receive deltas. */
    public static final int DELTA_TICK_MICROS = 250;
    /** Unit of the reference time. */
    public static final int REFERENCE_TICK_MICROS = 64_000;
    /** What {@link #arrivalDeltaMicros} returns for a packet that was not received. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    /** Feedback header (12) + base sequence, status count, reference time and feedback packet count (8). */
    public static final int FIXED_LENGTH = RtcpPacket.FEEDBACK_HEADER_LENGTH + 8;

    private static final int SYMBOL_NOT_RECEIVED = 0;
    private static final int SYMBOL_SMALL_DELTA = 1;
    private static final int SYMBOL_LARGE_DELTA = 2;
    private static final int SYMBOL_RESERVED = 3;
    private static final int MAX_SMALL_TICKS = 0xFF;
    private static final int MAX_RUN_LENGTH = 0x1FFF;
    private static final int ONE_BIT_SYMBOLS = 14;
    private static final int TWO_BIT_SYMBOLS = 7;
    private static final int MIN_REFERENCE_TIME = -(1 << 23);
    private static final int MAX_REFERENCE_TIME = (1 << 23) - 1;
    /** In {@link #ticks}: the packet was not received (no 16-bit delta can take this value). */
    private static final int LOST = Integer.MIN_VALUE;

    private final int senderSsrc;
    private final int mediaSsrc;
    private final int baseSequence;
    private final int referenceTime;
    private final int feedbackCount;
    /** Per packet from the base sequence: receive delta in 250 us ticks, or {@link #LOST}. Never exposed. */
    private final int[] ticks;
    private final int receivedCount;
    private final int contentLength;
    private final int length;

    /** Takes ownership of {@code ticks}; arguments are already checked. */
    private TransportCcFeedback(int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime,
            int feedbackCount, int[] ticks) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSequence = baseSequence;
        this.referenceTime = referenceTime;
        this.feedbackCount = feedbackCount;
        this.ticks = ticks;
        int received = 0;
        int deltaBytes = 0;
        for (int t : ticks) {
            int s = symbol(t);
            if (s != SYMBOL_NOT_RECEIVED) {
                received++;
                deltaBytes += s; // a small delta takes 1 byte, a large one 2: the symbol's value
            }
        }
        this.receivedCount = received;
        this.contentLength = FIXED_LENGTH + 2 * chunks(null, 0) + deltaBytes;
        this.length = (contentLength + 3) & ~3;
    }

    /**
     * A message with explicit results: {@code deltasMicros[i]} is the receive delta of packet
     * {@code baseSequence + i} in microseconds, or {@link #NOT_RECEIVED}.
     *
     * @throws IllegalArgumentException if a field is out of range, there are no packets or more than
     *         {@link #MAX_PACKETS}, or a delta is not a multiple of 250 us in [-8192 ms, 8191.75 ms]
     */
    public static TransportCcFeedback of(int senderSsrc, int mediaSsrc, int baseSequence, int referenceTime,
            int feedbackCount, long[] deltasMicros) {
        if (baseSequence < 0 || baseSequence > 0xFFFF) {
            throw new IllegalArgumentException("base sequence is 16 bits: " + baseSequence);
        }
        if (referenceTime < MIN_REFERENCE_TIME || referenceTime > MAX_REFERENCE_TIME) {
            throw new IllegalArgumentException("reference time is signed 24 bits: " + referenceTime);
        }
        if (feedbackCount < 0 || feedbackCount > 0xFF) {
            throw new IllegalArgumentException("feedback packet count is 8 bits: " + feedbackCount);
        }
        if (deltasMicros.length == 0 || deltasMicros.length > MAX_PACKETS) {
            throw new IllegalArgumentException("a feedback reports 1-" + MAX_PACKETS + " packets, not "
                    + deltasMicros.length);
        }
        int[] ticks = new int[deltasMicros.length];
        for (int i = 0; i < ticks.length; i++) {
            long d = deltasMicros[i];
            if (d == NOT_RECEIVED) {
                ticks[i] = LOST;
            } else if (d % DELTA_TICK_MICROS != 0 || d / DELTA_TICK_MICROS < Short.MIN_VALUE
                    || d / DELTA_TICK_MICROS > Short.MAX_VALUE) {
                throw new IllegalArgumentException("delta " + i + " not representable: " + d + " us");
            } else {
                ticks[i] = (int) (d / DELTA_TICK_MICROS);
            }
        }
        return new TransportCcFeedback(senderSsrc, mediaSsrc, baseSequence, referenceTime, feedbackCount, ticks);
    }

    /**
     * Reads the message that is exactly {@code buf[off, off + len)}, e.g. an {@link RtcpPacket} of kind
     * {@link RtcpKind#TRANSPORT_CC} ({@code buffer(), offset(), length()}).
     *
     * @return the message, or null if anything is malformed: not V=2/PT 205/FMT 15, {@code len} not what
     *         the length field says, bad padding, a status count of 0 or more than the chunks describe, the
     *         reserved symbol, missing deltas, or more than 3 bytes left after the deltas. Never throws,
     *         whatever the arguments.
     */
    public static TransportCcFeedback parse(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < FIXED_LENGTH || off > buf.length - len || len % 4 != 0) {
            return null;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != RtpPacket.VERSION || (b0 & 0x1F) != RtcpPacket.FMT_TRANSPORT_CC
                || Bytes.u8(buf, off + 1) != RtcpPacket.PT_RTPFB || (Bytes.u16(buf, off + 2) + 1) * 4 != len) {
            return null;
        }
        int end = off + len;
        if ((b0 & 0x20) != 0) {
            int padding = buf[end - 1] & 0xFF;
            if (padding == 0 || padding > len - FIXED_LENGTH) {
                return null;
            }
            end -= padding;
        }
        int count = Bytes.u16(buf, off + 14);
        int pos = off + FIXED_LENGTH;
        // One chunk describes at most 8191 packets: a short packet cannot make us allocate for 65535.
        if (count == 0 || (long) ((end - pos) / 2) * MAX_RUN_LENGTH < count) {
            return null;
        }
        // First each packet's status symbol, then (second loop) replaced by its delta: one allocation.
        int[] ticks = new int[count];
        int described = 0;
        while (described < count) {
            if (pos + 2 > end) {
                return null;
            }
            int chunk = Bytes.u16(buf, pos);
            pos += 2;
            if ((chunk & 0x8000) == 0) {
                int s = chunk >>> 13;
                if (s == SYMBOL_RESERVED) {
                    return null;
                }
                // A run may reach past the status count (libwebrtc reads it the same way).
                int take = Math.min(chunk & MAX_RUN_LENGTH, count - described);
                Arrays.fill(ticks, described, described + take, s);
                described += take;
            } else if ((chunk & 0x4000) == 0) {
                for (int k = 0; k < ONE_BIT_SYMBOLS && described < count; k++) {
                    ticks[described++] = chunk >>> (13 - k) & 1;
                }
            } else {
                for (int k = 0; k < TWO_BIT_SYMBOLS && described < count; k++) {
                    int s = chunk >>> (12 - 2 * k) & 3;
                    if (s == SYMBOL_RESERVED) {
                        return null;
                    }
                    ticks[described++] = s;
                }
            }
        }
        for (int i = 0; i < count; i++) {
            int s = ticks[i];
            if (s == SYMBOL_NOT_RECEIVED) {
                ticks[i] = LOST;
            } else if (s == SYMBOL_SMALL_DELTA) {
                if (pos >= end) {
                    return null;
                }
                ticks[i] = buf[pos++] & 0xFF;
            } else {
                if (pos + 2 > end) {
                    return null;
                }
                ticks[i] = (short) Bytes.u16(buf, pos);
                pos += 2;
            }
        }
        // Up to 3 bytes may follow: zero padding to the word boundary sent without the P bit.
        if (end - pos > 3) {
            return null;
        }
        return new TransportCcFeedback(Bytes.i32(buf, off + 4), Bytes.i32(buf, off + 8), Bytes.u16(buf, off + 12),
                Bytes.u24(buf, off + 16) << 8 >> 8, Bytes.u8(buf, off + 19), ticks);
    }

    /**
     * Writes the message at {@code out[off]}: {@link #length()} bytes, padded to a 32-bit boundary as the
     * class comment says.
     *
     * @return the number of bytes written
     * @throws IndexOutOfBoundsException if it does not fit (nothing is written then)
     */
    public int write(byte[] out, int off) {
        Objects.checkFromIndexSize(off, length, out.length);
        int padding = length - contentLength;
        out[off] = (byte) (RtpPacket.VERSION << 6 | (padding > 0 ? 0x20 : 0) | RtcpPacket.FMT_TRANSPORT_CC);
        out[off + 1] = (byte) RtcpPacket.PT_RTPFB;
        Bytes.put16(out, off + 2, length / 4 - 1);
        Bytes.put32(out, off + 4, senderSsrc);
        Bytes.put32(out, off + 8, mediaSsrc);
        Bytes.put16(out, off + 12, baseSequence);
        Bytes.put16(out, off + 14, ticks.length);
        Bytes.put24(out, off + 16, referenceTime);
        out[off + 19] = (byte) feedbackCount;
        int pos = off + FIXED_LENGTH;
        pos += 2 * chunks(out, pos);
        for (int t : ticks) {
            int s = symbol(t);
            if (s == SYMBOL_SMALL_DELTA) {
                out[pos++] = (byte) t;
            } else if (s == SYMBOL_LARGE_DELTA) {
                Bytes.put16(out, pos, t);
                pos += 2;
            }
        }
        if (padding > 0) {
            Arrays.fill(out, pos, off + length - 1, (byte) 0);
            out[off + length - 1] = (byte) padding;
        }
        return length;
    }

    /**
     * Encodes the packet chunks at {@code out[pos]}, or only counts them if {@code out} is null, choosing
     * as the class comment says; returns the number of chunks.
     */
    private int chunks(byte[] out, int pos) {
        int n = ticks.length;
        int chunks = 0;
        int i = 0;
        while (i < n) {
            int remaining = n - i;
            int s = symbol(ticks[i]);
            int run = 1;
            while (run < remaining && run < MAX_RUN_LENGTH && symbol(ticks[i + run]) == s) {
                run++;
            }
            int window = Math.min(ONE_BIT_SYMBOLS, remaining);
            boolean oneBit = fitsOneBit(i, window);
            int chunk;
            int covered;
            if (run == remaining || run >= TWO_BIT_SYMBOLS && (run >= ONE_BIT_SYMBOLS || !oneBit)) {
                chunk = s << 13 | run;
                covered = run;
            } else if (oneBit) {
                chunk = 0x8000;
                for (int k = 0; k < window; k++) {
                    chunk |= symbol(ticks[i + k]) << (13 - k);
                }
                covered = window;
            } else {
                covered = Math.min(TWO_BIT_SYMBOLS, remaining);
                chunk = 0xC000;
                for (int k = 0; k < covered; k++) {
                    chunk |= symbol(ticks[i + k]) << (12 - 2 * k);
                }
            }
            if (out != null) {
                Bytes.put16(out, pos + 2 * chunks, chunk);
            }
            chunks++;
            i += covered;
        }
        return chunks;
    }

    private boolean fitsOneBit(int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (symbol(ticks[k]) == SYMBOL_LARGE_DELTA) {
                return false;
            }
        }
        return true;
    }

    private static int symbol(int ticks) {
        if (ticks == LOST) {
            return SYMBOL_NOT_RECEIVED;
        }
        return ticks >= 0 && ticks <= MAX_SMALL_TICKS ? SYMBOL_SMALL_DELTA : SYMBOL_LARGE_DELTA;
    }

    public int senderSsrc() {
        return senderSsrc;
    }

    public int mediaSsrc() {
        return mediaSsrc;
    }

    /** Transport-wide sequence number of packet 0. */
    public int baseSequence() {
        return baseSequence;
    }

    /** Signed 24-bit reference time in multiples of 64 ms. */
    public int referenceTime() {
        return referenceTime;
    }

    /** {@link #referenceTime()} in microseconds: where the first received packet's delta starts. */
    public long referenceTimeMicros() {
        return referenceTime * (long) REFERENCE_TICK_MICROS;
    }

    /** Feedback packet count (0-255): lets the media sender notice lost feedback. */
    public int feedbackCount() {
        return feedbackCount;
    }

    /** Number of packets reported, received or not: the packet status count. */
    public int size() {
        return ticks.length;
    }

    public int receivedCount() {
        return receivedCount;
    }

    /** Transport-wide sequence number of packet {@code i}. */
    public int sequence(int i) {
        Objects.checkIndex(i, ticks.length);
        return (baseSequence + i) & SequenceNumbers.MASK;
    }

    public boolean received(int i) {
        return ticks[Objects.checkIndex(i, ticks.length)] != LOST;
    }

    /**
     * Arrival of packet {@code i} in microseconds after the previous received packet's (the first received
     * packet's after {@link #referenceTimeMicros()}); may be negative. {@link #NOT_RECEIVED} if it was not.
     */
    public long arrivalDeltaMicros(int i) {
        int t = ticks[Objects.checkIndex(i, ticks.length)];
        return t == LOST ? NOT_RECEIVED : t * (long) DELTA_TICK_MICROS;
    }

    /** Bytes {@link #write} takes, padding included. */
    public int length() {
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportCcFeedback f && senderSsrc == f.senderSsrc && mediaSsrc == f.mediaSsrc
                && baseSequence == f.baseSequence && referenceTime == f.referenceTime
                && feedbackCount == f.feedbackCount && Arrays.equals(ticks, f.ticks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(senderSsrc, mediaSsrc, baseSequence, referenceTime, feedbackCount)
                * 31 + Arrays.hashCode(ticks);
    }

    @Override
    public String toString() {
        return "TransportCcFeedback[sender=" + Integer.toUnsignedString(senderSsrc) + ", media="
                + Integer.toUnsignedString(mediaSsrc) + ", base=" + baseSequence + ", packets=" + ticks.length
                + ", received=" + receivedCount + ", referenceTime=" + referenceTime + ", feedbackCount="
                + feedbackCount + "]";
    }

    /**
     * What a receiver collects for one feedback message: the transport-wide sequence number (the RTP header
     * extension of the same draft, section 2) and arrival time of each packet. Packets may be added in any
     * order (reordered arrivals fill their gap); sequence numbers between the lowest and highest added count
     * as not received. The message starts at the lowest sequence number, so its first packet is always a
     * received one and the reference time is that packet's arrival rounded down to 64 ms.
     *
     * <p>Arrival deltas are rounded to the nearest 250 us against the times the media sender will
     * reconstruct, so rounding does not accumulate along the message.
     *
     * <p>Limits, where {@link #add} returns false and the caller should build what it has, {@link #clear} and
     * add the packet again: at most {@link #MAX_PACKETS} sequence numbers from lowest to highest (and at most
     * that many adds), and arrival times at most {@link #MAX_ARRIVAL_SPAN_MICROS} apart so every delta fits
     * its 16 bits. A message that large would not fit a datagram anyway; a caller building per MTU watches
     * {@link #packetCount()} or the built message's {@link TransportCcFeedback#length()}.
     *
     * <p>Sequence numbers wrap at 2^16: each one is placed relative to the one added just before it, so
     * consecutive adds must be less than 32768 apart (RFC 1982 serial arithmetic, as {@link SequenceNumbers}).
     * A repeated sequence number keeps its first arrival. Not thread-safe; reusable after {@link #clear}.
     */
    public static final class Builder {
        /** Arrival times of one message lie within 8 s, so deltas stay inside +-8191.75 ms with rounding. */
        public static final long MAX_ARRIVAL_SPAN_MICROS = 8_000_000;

        /** Sequence numbers unwrapped relative to the first one added (which is 0). */
        private int[] sequences = new int[32];
        private long[] arrivals = new long[32];
        private int added;
        private int firstSequence;
        private int lastSequence;
        private int lastUnwrapped;
        private int minUnwrapped;
        private int maxUnwrapped;
        private long minArrival;
        private long maxArrival;

        /**
         * Records that the packet with transport sequence number {@code transportSequence} (low 16 bits used)
         * arrived at {@code arrivalTimeMicros} (any monotonic microsecond clock).
         *
         * @return false, and nothing is recorded, if the packet would break a limit of this message
         */
        public boolean add(int transportSequence, long arrivalTimeMicros) {
            int seq = transportSequence & SequenceNumbers.MASK;
            if (added == 0) {
                firstSequence = seq;
                lastSequence = seq;
                lastUnwrapped = 0;
                minUnwrapped = 0;
                maxUnwrapped = 0;
                minArrival = arrivalTimeMicros;
                maxArrival = arrivalTimeMicros;
                store(0, arrivalTimeMicros);
                return true;
            }
            if (added == MAX_PACKETS) {
                return false;
            }
            int unwrapped = lastUnwrapped + SequenceNumbers.delta(seq, lastSequence);
            int lo = Math.min(minUnwrapped, unwrapped);
            int hi = Math.max(maxUnwrapped, unwrapped);
            long earliest = Math.min(minArrival, arrivalTimeMicros);
            long latest = Math.max(maxArrival, arrivalTimeMicros);
            long span = latest - earliest; // negative only if it overflowed: far too wide as well
            if (hi - lo + 1 > MAX_PACKETS || span < 0 || span > MAX_ARRIVAL_SPAN_MICROS) {
                return false;
            }
            minUnwrapped = lo;
            maxUnwrapped = hi;
            minArrival = earliest;
            maxArrival = latest;
            lastSequence = seq;
            lastUnwrapped = unwrapped;
            store(unwrapped, arrivalTimeMicros);
            return true;
        }

        private void store(int unwrapped, long arrival) {
            if (added == sequences.length) {
                int grown = Math.min(MAX_PACKETS, added * 2);
                sequences = Arrays.copyOf(sequences, grown);
                arrivals = Arrays.copyOf(arrivals, grown);
            }
            sequences[added] = unwrapped;
            arrivals[added] = arrival;
            added++;
        }

        public boolean isEmpty() {
            return added == 0;
        }

        /** Packet status count the message would have: lowest to highest sequence number added, or 0. */
        public int packetCount() {
            return added == 0 ? 0 : maxUnwrapped - minUnwrapped + 1;
        }

        /** Forgets every packet, keeping the arrays for the next message. */
        public void clear() {
            added = 0;
        }

        /**
         * The message for the packets added so far; the builder keeps them (call {@link #clear} to start the
         * next message).
         *
         * @param feedbackCount the sender's feedback packet counter; only its low 8 bits are sent (it wraps)
         * @throws IllegalStateException if no packet was added
         */
        public TransportCcFeedback build(int senderSsrc, int mediaSsrc, int feedbackCount) {
            if (added == 0) {
                throw new IllegalStateException("no packet added");
            }
            int count = maxUnwrapped - minUnwrapped + 1;
            // Index of the (first) add of each sequence number, replaced in order by its delta below.
            int[] ticks = new int[count];
            Arrays.fill(ticks, -1);
            for (int j = 0; j < added; j++) {
                int k = sequences[j] - minUnwrapped;
                if (ticks[k] < 0) {
                    ticks[k] = j;
                }
            }
            long reference = Math.floorDiv(arrivals[ticks[0]], REFERENCE_TICK_MICROS);
            long previous = reference * REFERENCE_TICK_MICROS; // as the media sender will reconstruct it
            for (int k = 0; k < count; k++) {
                if (ticks[k] < 0) {
                    ticks[k] = LOST;
                    continue;
                }
                long delta = Math.floorDiv(arrivals[ticks[k]] - previous + DELTA_TICK_MICROS / 2, DELTA_TICK_MICROS);
                ticks[k] = (int) delta;
                previous += delta * DELTA_TICK_MICROS;
            }
            // The reference time wraps every 2^24 * 64 ms (about 12 days); the field is its low 24 bits, signed.
            int referenceField = (int) (reference << 40 >> 40);
            int base = (firstSequence + minUnwrapped) & SequenceNumbers.MASK;
            return new TransportCcFeedback(senderSsrc, mediaSsrc, base, referenceField, feedbackCount & 0xFF, ticks);
        }
    }
}
