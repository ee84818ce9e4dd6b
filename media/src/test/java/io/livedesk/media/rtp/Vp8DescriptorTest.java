package io.livedesk.media.rtp;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7741 payload descriptors as Chromium writes them, and what a forwarder must not trust. */
class Vp8DescriptorTest {
    private final Vp8Descriptor d = new Vp8Descriptor();

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void chromiumsKeyframeStartWithA15BitPictureIdAndTl0PicIdx() {
        byte[] p = hex("90" + "e0" + "8123" + "45" + "20" + "10" + "9d012a"); // X S; I L T; M pid; tl0; tid; P=0
        assertTrue(d.read(p, 0, p.length));
        assertEquals(6, d.length());
        assertTrue(d.startOfFrame());
        assertTrue(d.keyframe());
        assertEquals(15, d.pictureIdBits());
        assertEquals(0x0123, Vp8Descriptor.pictureId(p, d.pictureIdOffset(), 15));
        assertEquals(0x45, p[d.tl0PicIdxOffset()] & 0xFF);
        Vp8Descriptor.setPictureId(p, d.pictureIdOffset(), 15, 0x7FFF + 3); // wraps
        assertEquals(2, Vp8Descriptor.pictureId(p, d.pictureIdOffset(), 15));
        assertEquals(0x80, p[d.pictureIdOffset()] & 0x80, "the M bit stays");
    }

    @Test
    void aDeltaFrameAndAFramesLaterPacketAreNoKeyframes() {
        byte[] delta = hex("90" + "80" + "0a" + "31"); // 7-bit picture id 10; P=1
        assertTrue(d.read(delta, 0, delta.length));
        assertEquals(7, d.pictureIdBits());
        assertEquals(10, Vp8Descriptor.pictureId(delta, d.pictureIdOffset(), 7));
        assertTrue(d.startOfFrame());
        assertFalse(d.keyframe());
        byte[] later = hex("80" + "80" + "0a" + "00"); // S=0: not the frame's first packet, whatever follows
        assertTrue(d.read(later, 0, later.length));
        assertFalse(d.startOfFrame());
        assertFalse(d.keyframe());
        byte[] minimal = hex("10" + "00");
        assertTrue(d.read(minimal, 0, minimal.length));
        assertEquals(1, d.length());
        assertTrue(d.keyframe());
        assertEquals(-1, d.pictureIdOffset());
    }

    @Test
    void truncatedDescriptorsAreRefused() {
        assertFalse(d.read(new byte[0], 0, 0));
        byte[] p = hex("90" + "e0" + "8123" + "45" + "20");
        for (int len = 1; len < p.length; len++) {
            assertFalse(d.read(p, 0, len), "cut at " + len);
        }
        assertTrue(d.read(p, 0, p.length), "the descriptor alone, no frame bytes");
        assertFalse(d.keyframe(), "no frame byte to tell");
    }
}
