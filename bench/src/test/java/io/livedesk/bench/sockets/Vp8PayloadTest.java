package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livedesk.media.rtp.Vp8Descriptor;
import org.junit.jupiter.api.Test;

/** The simulcast sender's VP8 bytes, read back with the bridge's own parser. */
class Vp8PayloadTest {
    private final Vp8Descriptor vp8 = new Vp8Descriptor();

    @Test
    void aKeyframesFirstPacketIsAKeyframeWithItsPictureIdAndSizeWhereTheBridgeReadsThem() {
        byte[] b = new byte[Vp8Payload.MAX_LENGTH + Payload.LENGTH];
        int n = Vp8Payload.write(b, 0, 0x1234, true, true, 1280, 720);
        Payload.write(b, n, 1L, 2L, 3, 4);

        assertEquals(Vp8Payload.MAX_LENGTH, n);
        assertTrue(vp8.read(b, 0, b.length));
        assertTrue(vp8.startOfFrame());
        assertTrue(vp8.keyframe());
        assertEquals(15, vp8.pictureIdBits());
        assertEquals(0x1234, Vp8Descriptor.pictureId(b, vp8.pictureIdOffset(), 15));
        // As SimulcastSource.noteKeyframe reads it: start code, then 14-bit width and height, little-endian.
        int p = vp8.length();
        assertEquals(0x9d, b[p + 3] & 0xFF);
        assertEquals(0x01, b[p + 4] & 0xFF);
        assertEquals(0x2a, b[p + 5] & 0xFF);
        assertEquals(1280, ((b[p + 7] & 0x3F) << 8) | (b[p + 6] & 0xFF));
        assertEquals(720, ((b[p + 9] & 0x3F) << 8) | (b[p + 8] & 0xFF));
        assertEquals(n, Vp8Payload.skip(vp8, b, 0, b.length));
        assertEquals(new Payload(1L, 2L, 3, 4), Payload.read(b, n, Payload.LENGTH));
    }

    @Test
    void anInterframeAndAFramesLaterPacketsAreNoKeyframes() {
        byte[] b = new byte[Vp8Payload.MAX_LENGTH + Payload.LENGTH];
        int first = Vp8Payload.write(b, 0, 7, true, false, 320, 180);
        assertTrue(vp8.read(b, 0, b.length));
        assertTrue(vp8.startOfFrame());
        assertFalse(vp8.keyframe());
        assertEquals(Vp8Payload.DESCRIPTOR + Vp8Payload.FRAME_TAG, first);
        assertEquals(first, Vp8Payload.skip(vp8, b, 0, b.length));

        int later = Vp8Payload.write(b, 0, 7, false, true, 320, 180);
        assertTrue(vp8.read(b, 0, b.length));
        assertFalse(vp8.startOfFrame());
        assertFalse(vp8.keyframe(), "only a frame's first packet can start a keyframe");
        assertEquals(Vp8Payload.DESCRIPTOR, later);
        assertEquals(later, Vp8Payload.skip(vp8, b, 0, b.length));
    }

    @Test
    void whatIsNotItsDescriptorIsRefused() {
        byte[] b = new byte[8];
        b[0] = 0x10; // no extension, so no picture id
        assertEquals(-1, Vp8Payload.skip(vp8, b, 0, b.length));
        assertEquals(-1, Vp8Payload.skip(vp8, b, 0, 0));
    }
}
