package io.livedesk.media.rtp;

import java.io.ByteArrayOutputStream;

/** Hand-assembled packets for tests, so parsers are checked against bytes, not against themselves. */
final class TestPackets {
    private TestPackets() {
    }

    /** Appends big-endian fields. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u8(int v) {
            out.write(v);
            return this;
        }

        Writer u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Writer u24(int v) {
            return u8(v >>> 16).u8(v >>> 8).u8(v);
        }

        Writer u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        Writer bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Writer zeros(int n) {
            return bytes(new byte[n]);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }

    /** Plain RTP: V=2, no padding/extension/CSRC. */
    static byte[] rtp(int pt, int seq, int ts, int ssrc, int payloadLength) {
        return new Writer().u8(0x80).u8(pt).u16(seq).u32(ts & 0xFFFFFFFFL).u32(ssrc & 0xFFFFFFFFL)
                .zeros(payloadLength).toBytes();
    }

    /** Copies {@code packet} into a larger array at {@code offset}, surrounded by 0x5A filler. */
    static byte[] embed(byte[] packet, int offset, int trailing) {
        byte[] b = new byte[offset + packet.length + trailing];
        java.util.Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(packet, 0, b, offset, packet.length);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        Writer w = new Writer();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toBytes();
    }

    /** RTCP common header: V=2, given padding bit, count/FMT, PT, length in words minus one. */
    static Writer rtcpHeader(boolean padding, int count, int pt, int lengthWords) {
        return new Writer().u8(0x80 | (padding ? 0x20 : 0) | count).u8(pt).u16(lengthWords);
    }

    static byte[] reportBlock(int ssrc, int fraction, int cumulative, long highest, long jitter, long lsr, long dlsr) {
        return new Writer().u32(ssrc & 0xFFFFFFFFL).u8(fraction).u24(cumulative).u32(highest).u32(jitter)
                .u32(lsr).u32(dlsr).toBytes();
    }

    static byte[] senderReport(int ssrc, long ntp, int rtpTs, long packets, long octets, byte[]... blocks) {
        Writer w = rtcpHeader(false, blocks.length, 200, (28 + 24 * blocks.length) / 4 - 1)
                .u32(ssrc & 0xFFFFFFFFL).u32(ntp >>> 32).u32(ntp & 0xFFFFFFFFL).u32(rtpTs & 0xFFFFFFFFL)
                .u32(packets).u32(octets);
        for (byte[] b : blocks) {
            w.bytes(b);
        }
        return w.toBytes();
    }

    static byte[] receiverReport(int ssrc, byte[]... blocks) {
        Writer w = rtcpHeader(false, blocks.length, 201, (8 + 24 * blocks.length) / 4 - 1).u32(ssrc & 0xFFFFFFFFL);
        for (byte[] b : blocks) {
            w.bytes(b);
        }
        return w.toBytes();
    }

    /** SDES with one chunk carrying a CNAME item, null-terminated and padded to a word. */
    static byte[] sdesCname(int ssrc, String cname) {
        byte[] text = cname.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int chunk = 4 + 2 + text.length + 1;
        int padded = (chunk + 3) / 4 * 4;
        return rtcpHeader(false, 1, 202, padded / 4).u32(ssrc & 0xFFFFFFFFL).u8(1).u8(text.length).bytes(text)
                .zeros(padded - chunk + 1).toBytes();
    }

    static byte[] bye(int... ssrcs) {
        Writer w = rtcpHeader(false, ssrcs.length, 203, ssrcs.length);
        for (int s : ssrcs) {
            w.u32(s & 0xFFFFFFFFL);
        }
        return w.toBytes();
    }
}
