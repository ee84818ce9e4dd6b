package io.livedesk.bench.sockets;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What a synthetic sender puts in each packet's {@value SrtpPeer#PAYLOAD}-byte payload, so that a receiver can
 * check it whatever the server rewrote in the RTP header: the send time ({@link System#nanoTime()}, for the
 * added latency), the SSRC, RTP timestamp and sequence number it was sent with, zeros, and a closing check
 * word over those fields (a truncated or shifted payload fails it).
 *
 * <p>The first byte is the send time's top byte, zero on any machine up for less than 2.2 years: read as a VP8
 * payload descriptor that is a valid "not the start of a partition", so no server takes it for a keyframe.
 */
record Payload(long sentNanos, long ssrc, int rtpTimestamp, int sequence) {
    static final int LENGTH = SrtpPeer.PAYLOAD;
    private static final int FIELDS = 8 + 4 + 4 + 4;
    private static final int CHECK_AT = LENGTH - 4;
    private static final byte[] ZEROS = new byte[CHECK_AT - FIELDS];

    static void write(byte[] into, int at, long sentNanos, long ssrc, int rtpTimestamp, int sequence) {
        ByteBuffer.wrap(into, at, LENGTH).putLong(sentNanos).putInt((int) ssrc).putInt(rtpTimestamp).putInt(sequence);
        Arrays.fill(into, at + FIELDS, at + CHECK_AT, (byte) 0);
        ByteBuffer.wrap(into).putInt(at + CHECK_AT, check(sentNanos, (int) ssrc, rtpTimestamp, sequence));
    }

    /** The payload at {@code at}, or null if it is not one {@link #write} wrote. */
    static Payload read(byte[] from, int at, int length) {
        if (length != LENGTH || at < 0 || at + LENGTH > from.length) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(from);
        long sent = b.getLong(at);
        int ssrc = b.getInt(at + 8);
        int ts = b.getInt(at + 12);
        int seq = b.getInt(at + 16);
        if (Arrays.mismatch(from, at + FIELDS, at + CHECK_AT, ZEROS, 0, ZEROS.length) != -1) {
            return null;
        }
        if (b.getInt(at + CHECK_AT) != check(sent, ssrc, ts, seq)) {
            return null;
        }
        return new Payload(sent, Integer.toUnsignedLong(ssrc), ts, seq);
    }

    private static int check(long sentNanos, int ssrc, int rtpTimestamp, int sequence) {
        return (int) (sentNanos ^ (sentNanos >>> 32)) ^ Integer.rotateLeft(ssrc, 8) ^ Integer.rotateLeft(rtpTimestamp, 16)
                ^ Integer.rotateLeft(sequence, 24) ^ 0x5EED5EED;
    }
}
