package io.livedesk.media.rtp;

import java.util.Objects;

/**
 * Walks the packets of one compound RTCP datagram (RFC 3550 section 6.1), all-or-nothing:
 * {@link #wrap} first checks every packet (via {@link RtcpPacket#wrap}), that the packets tile
 * the datagram exactly, and that only the last one is padded (RFC 3550 A.2); only a datagram that
 * passes is iterated. A datagram that fails is dropped whole and counted by the caller, because a
 * packet whose length field lies makes every later boundary meaningless.
 *
 * <p>The first packet is not required to be SR/RR: reduced-size RTCP (RFC 5506), which browsers
 * negotiate with {@code a=rtcp-rsize}, sends feedback packets on their own.
 *
 * <p>Reusable and allocation-free after construction; not thread-safe (one per thread).
 */
public final class RtcpCompound {
    private final RtcpPacket scratch = new RtcpPacket();
    private byte[] buf;
    private int start;
    private int end;
    private int position;
    private int packetCount;

    /**
     * Checks the datagram {@code buf[off, off + len)} and, if valid, positions the iteration at its
     * first packet.
     *
     * @return false (and nothing will be iterated) if the datagram is empty or malformed
     * @throws IndexOutOfBoundsException if {@code off}/{@code len} lie outside {@code buf}
     */
    public boolean wrap(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        this.buf = null;
        this.position = 0;
        this.end = 0;
        int count = countPackets(buf, off, len);
        this.packetCount = Math.max(count, 0);
        if (count <= 0) {
            return false;
        }
        this.buf = buf;
        this.start = off;
        this.position = off;
        this.end = off + len;
        return true;
    }

    /** Cold-path convenience (allocates an iterator); the hot path reuses one via {@link #wrap}. */
    public static boolean isValid(byte[] buf, int off, int len) {
        return new RtcpCompound().wrap(buf, off, len);
    }

    /** Number of packets in the last successfully wrapped datagram (0 after a failed wrap). */
    public int packetCount() {
        return packetCount;
    }

    /** Starts the iteration over from the first packet. */
    public void rewind() {
        position = start;
    }

    /**
     * Points {@code into} at the next packet.
     *
     * @return false when there are no more packets (or the last wrap failed)
     */
    public boolean next(RtcpPacket into) {
        if (buf == null || position >= end) {
            return false;
        }
        // wrap() already walked these boundaries; this can only fail if someone rewrote a length
        // field since, and then stopping is the only safe thing to do.
        if (!into.wrap(buf, position, end - position)) {
            position = end;
            return false;
        }
        position += into.length();
        return true;
    }

    /** Number of packets, or -1 if any packet is malformed, padded before the last, or overruns. */
    private int countPackets(byte[] buf, int off, int len) {
        int pos = off;
        int stop = off + len;
        int count = 0;
        while (pos < stop) {
            if (!scratch.wrap(buf, pos, stop - pos)) {
                return -1;
            }
            pos += scratch.length();
            if (scratch.hasPadding() && pos != stop) {
                return -1;
            }
            count++;
        }
        scratch.clear();
        return count;
    }
}
