package io.livedesk.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 4588 wrapping and unwrapping on real packet layouts: the original comes back byte for byte. */
class RtxTest {
    private static final int VP8 = 96;
    private static final int RTX_PT = 97;
    private static final int MEDIA_SSRC = 0xF0000001;
    private static final int RTX_SSRC = 0x12345678;

    /** V=2, X=1 (one-byte extension with an abs-send-time element), M=1, one CSRC, payload 0..n-1. */
    private static byte[] original(int seq, int payloadLength) {
        byte[] header = HexFormat.of().parseHex("91" + "e0" + String.format("%04x", seq) + "0001e240"
                + String.format("%08x", MEDIA_SSRC) + "0000abcd" + "bede0001" + "22123456");
        byte[] p = Arrays.copyOf(header, header.length + payloadLength);
        for (int i = 0; i < payloadLength; i++) {
            p[header.length + i] = (byte) i;
        }
        return p;
    }

    @Test
    void wrappingKeepsTheHeaderAndPrependsTheOriginalSequenceNumber() {
        byte[] orig = original(0xBEEF, 100);
        byte[] out = new byte[1500];
        int n = Rtx.wrap(orig, 0, orig.length, RTX_PT, 7, RTX_SSRC, out, 10);
        assertEquals(orig.length + Rtx.OVERHEAD, n);
        RtpPacket rtx = new RtpPacket();
        assertTrue(rtx.wrap(out, 10, n));
        assertEquals(RTX_PT, rtx.payloadType());
        assertTrue(rtx.marker(), "the marker bit is the original's");
        assertEquals(7, rtx.sequenceNumber());
        assertEquals(RTX_SSRC, rtx.ssrc());
        assertEquals(0x0001e240, rtx.timestamp(), "the timestamp is the original's");
        assertEquals(1, rtx.csrcCount());
        assertTrue(rtx.extensionOffset(2) > 0, "header extensions are kept");
        assertEquals(0xBEEF, Bytes.u16(out, rtx.payloadOffset()), "OSN first");
        assertArrayEquals(Arrays.copyOfRange(orig, orig.length - 100, orig.length),
                Arrays.copyOfRange(out, rtx.payloadOffset() + 2, 10 + n));
    }

    @Test
    void unwrappingGivesTheOriginalBackByteForByteWhereverTheBuffersStart() {
        byte[] orig = original(65535, 1188);
        byte[] at = TestPackets.embed(orig, 7, 3);
        byte[] rtx = new byte[1500];
        int n = Rtx.wrap(at, 7, orig.length, RTX_PT, 300, RTX_SSRC, rtx, 5);
        byte[] back = new byte[1500];
        int m = Rtx.unwrap(rtx, 5, n, VP8, MEDIA_SSRC, back, 4);
        assertArrayEquals(orig, Arrays.copyOfRange(back, 4, 4 + m));
    }

    @Test
    void paddingIsNotCarriedOverAndAnEmptyPayloadWrapsToJustTheOsn() {
        byte[] padded = Arrays.copyOf(original(12, 10), original(12, 10).length + 4);
        padded[0] |= 0x20;
        padded[padded.length - 1] = 4; // four bytes of padding
        byte[] rtx = new byte[1500];
        int n = Rtx.wrap(padded, 0, padded.length, RTX_PT, 1, RTX_SSRC, rtx, 0);
        assertEquals(padded.length - 4 + Rtx.OVERHEAD, n);
        assertEquals(0, rtx[0] & 0x20, "no padding bit");
        byte[] back = new byte[1500];
        int m = Rtx.unwrap(rtx, 0, n, VP8, MEDIA_SSRC, back, 0);
        assertArrayEquals(original(12, 10), Arrays.copyOf(back, m));

        byte[] empty = original(5, 0);
        int e = Rtx.wrap(empty, 0, empty.length, RTX_PT, 2, RTX_SSRC, rtx, 0);
        assertEquals(empty.length + 2, e);
        assertEquals(empty.length, Rtx.unwrap(rtx, 0, e, VP8, MEDIA_SSRC, back, 0));
    }

    @Test
    void garbageOrNoRoomGivesMinusOne() {
        byte[] out = new byte[1500];
        assertEquals(-1, Rtx.wrap(new byte[] {0x00, 1, 2}, 0, 3, RTX_PT, 1, RTX_SSRC, out, 0));
        byte[] orig = original(1, 100);
        assertEquals(-1, Rtx.wrap(orig, 0, orig.length, RTX_PT, 1, RTX_SSRC, new byte[50], 0));
        byte[] noOsn = original(1, 1);
        assertEquals(-1, Rtx.unwrap(noOsn, 0, noOsn.length, VP8, MEDIA_SSRC, out, 0), "a payload of 1 byte has no OSN");
        assertEquals(-1, Rtx.unwrap(orig, 0, orig.length, VP8, MEDIA_SSRC, new byte[20], 0));
    }
}
