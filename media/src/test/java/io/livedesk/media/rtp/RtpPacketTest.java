package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livedesk.media.rtp.TestPackets.Writer;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    private final RtpPacket packet = new RtpPacket();

    @Test
    void readsFixedHeaderFields() {
        byte[] b = new Writer().u8(0x80).u8(0x80 | 96).u16(0xFFFE).u32(0xDEADBEEFL).u32(0x12345678L)
                .bytes(new byte[] {1, 2, 3}).toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        assertEquals(2, packet.version());
        assertFalse(packet.hasPadding());
        assertFalse(packet.hasExtension());
        assertEquals(0, packet.csrcCount());
        assertTrue(packet.marker());
        assertEquals(96, packet.payloadType());
        assertEquals(0xFFFE, packet.sequenceNumber());
        assertEquals(0xDEADBEEF, packet.timestamp());
        assertEquals(0x12345678, packet.ssrc());
        assertEquals(12, packet.headerLength());
        assertEquals(12, packet.payloadOffset());
        assertEquals(3, packet.payloadLength());
        assertEquals(-1, packet.extensionProfile());
        assertEquals(-1, packet.extensionOffset(1));
    }

    @Test
    void viewAtNonZeroOffsetIgnoresBytesAround() {
        byte[] inner = TestPackets.rtp(111, 7, 960, 42, 20);
        byte[] b = TestPackets.embed(inner, 33, 17);

        assertTrue(packet.wrap(b, 33, inner.length));
        assertEquals(7, packet.sequenceNumber());
        assertEquals(42, packet.ssrc());
        assertEquals(33 + 12, packet.payloadOffset());
        assertEquals(20, packet.payloadLength());
    }

    @Test
    void csrcsComeBeforePayload() {
        byte[] b = new Writer().u8(0x82).u8(100).u16(1).u32(2).u32(3).u32(0xAAAAAAAAL).u32(0xBBBBBBBBL)
                .zeros(5).toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        assertEquals(2, packet.csrcCount());
        assertEquals(0xAAAAAAAA, packet.csrc(0));
        assertEquals(0xBBBBBBBB, packet.csrc(1));
        assertThrows(IndexOutOfBoundsException.class, () -> packet.csrc(2));
        assertEquals(20, packet.headerLength());
        assertEquals(5, packet.payloadLength());
    }

    @Test
    void paddingIsExcludedFromPayload() {
        byte[] b = new Writer().u8(0xA0).u8(96).u16(1).u32(2).u32(3).zeros(10).u8(0).u8(0).u8(3).toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        assertTrue(packet.hasPadding());
        assertEquals(3, packet.paddingLength());
        assertEquals(10, packet.payloadLength());
    }

    @Test
    void paddingOnlyPacketHasEmptyPayload() {
        byte[] b = new Writer().u8(0xA0).u8(96).u16(1).u32(2).u32(3).zeros(255).toBytes();
        b[b.length - 1] = (byte) 255;

        assertTrue(packet.wrap(b, 0, b.length));
        assertEquals(0, packet.payloadLength());
    }

    @Test
    void findsOneByteExtensionElements() {
        // Profile 0xBEDE, 3 words: id 1 len 1 [0x11], padding byte, id 3 len 3 [a b c], id 5 len 2 [x y].
        byte[] b = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3)
                .u16(0xBEDE).u16(3)
                .u8(0x10).u8(0x11).u8(0).u8(0x32).u8('a').u8('b').u8('c').u8(0x51).u8('x').u8('y').zeros(2)
                .u8(0xEE).toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        assertEquals(0xBEDE, packet.extensionProfile());
        assertEquals(28, packet.headerLength());
        assertEquals(1, packet.payloadLength());

        int one = packet.extensionOffset(1);
        assertEquals(17, one);
        assertEquals(1, packet.extensionLength(one));
        assertEquals(0x11, b[one]);

        int three = packet.extensionOffset(3);
        assertEquals(3, packet.extensionLength(three));
        assertEquals('a', b[three]);

        int five = packet.extensionOffset(5);
        assertEquals(2, packet.extensionLength(five));
        assertEquals('y', b[five + 1]);

        assertEquals(-1, packet.extensionOffset(2));
        assertEquals(-1, packet.extensionOffset(0));
        assertEquals(-1, packet.extensionOffset(15));
    }

    @Test
    void oneByteStopIdEndsTheSearch() {
        byte[] b = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3)
                .u16(0xBEDE).u16(1).u8(0xF0).u8(0x20).u8(0x07).u8(0).toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        assertEquals(-1, packet.extensionOffset(2));
    }

    @Test
    void findsTwoByteExtensionElementsIncludingEmptyOnes() {
        // Profile 0x1000, 4 words: id 200 len 0, id 7 len 5 [1..5], padding, id 9 len 1 [9], padding.
        byte[] b = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3)
                .u16(0x1000).u16(4)
                .u8(200).u8(0).u8(7).u8(5).u8(1).u8(2).u8(3).u8(4).u8(5).u8(0).u8(9).u8(1).u8(9).u8(0).u8(0).u8(0)
                .toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        int empty = packet.extensionOffset(200);
        assertEquals(0, packet.extensionLength(empty));
        int seven = packet.extensionOffset(7);
        assertEquals(5, packet.extensionLength(seven));
        assertEquals(5, b[seven + 4]);
        int nine = packet.extensionOffset(9);
        assertEquals(1, packet.extensionLength(nine));
        assertEquals(9, b[nine]);
        assertEquals(-1, packet.extensionOffset(8));
        assertEquals(-1, packet.extensionOffset(256));
    }

    @Test
    void unknownExtensionProfileHasNoElements() {
        byte[] b = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0x1234).u16(1).u8(0x10).u8(1).zeros(2)
                .toBytes();

        assertTrue(packet.wrap(b, 0, b.length));
        assertEquals(-1, packet.extensionOffset(1));
    }

    @Test
    void elementRunningPastTheExtensionBlockIsNotFound() {
        // One-byte element id 2 claims 16 bytes but the block is one word; the payload follows.
        byte[] oneByte = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0xBEDE).u16(1)
                .u8(0x2F).u8(1).u8(2).u8(3).zeros(20).toBytes();
        assertTrue(packet.wrap(oneByte, 0, oneByte.length));
        assertEquals(-1, packet.extensionOffset(2));

        // Two-byte element id 4 claims 255 bytes; another whose length byte is the block's last byte.
        byte[] twoByte = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0x1000).u16(1)
                .u8(4).u8(255).u8(0).u8(0).zeros(300).toBytes();
        assertTrue(packet.wrap(twoByte, 0, twoByte.length));
        assertEquals(-1, packet.extensionOffset(4));

        byte[] cut = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0x1000).u16(1)
                .u8(0).u8(0).u8(0).u8(6).u8(1).u8(1).toBytes();
        assertTrue(packet.wrap(cut, 0, cut.length));
        assertEquals(-1, packet.extensionOffset(6));
    }

    @Test
    void settersRewriteInPlaceAndKeepNeighbouringBits() {
        byte[] b = new Writer().u8(0x80).u8(0x80 | 96).u16(1).u32(2).u32(3).zeros(4).toBytes();
        assertTrue(packet.wrap(b, 0, b.length));

        packet.setPayloadType(100);
        assertTrue(packet.marker());
        assertEquals(100, packet.payloadType());
        packet.setMarker(false);
        assertEquals(100, packet.payloadType());
        assertFalse(packet.marker());
        packet.setSequenceNumber(0x1FFFF);
        assertEquals(0xFFFF, packet.sequenceNumber());
        packet.setTimestamp(0xCAFEBABE);
        packet.setSsrc(0x0BADF00D);

        byte[] expected = new Writer().u8(0x80).u8(100).u16(0xFFFF).u32(0xCAFEBABEL).u32(0x0BADF00DL).zeros(4)
                .toBytes();
        assertArrayEquals(expected, b);
        assertThrows(IllegalArgumentException.class, () -> packet.setPayloadType(128));
    }

    @Test
    void truncatedHeadersAreTooShort() {
        byte[] full = TestPackets.rtp(96, 1, 2, 3, 0);
        for (int len = 0; len < 12; len++) {
            assertEquals(RtpCheck.TOO_SHORT, RtpPacket.check(full, 0, len), "len " + len);
        }
        assertEquals(RtpCheck.OK, RtpPacket.check(full, 0, 12));
    }

    @Test
    void otherVersionsAreRejected() {
        for (int v : new int[] {0x00, 0x40, 0xC0}) {
            byte[] b = TestPackets.rtp(96, 1, 2, 3, 4);
            b[0] = (byte) v;
            assertEquals(RtpCheck.BAD_VERSION, RtpPacket.check(b, 0, b.length));
        }
    }

    @Test
    void csrcCountLargerThanPacketIsRejected() {
        byte[] small = TestPackets.rtp(96, 1, 2, 3, 8);
        small[0] = (byte) 0x8F;
        assertEquals(RtpCheck.CSRC_PAST_END, RtpPacket.check(small, 0, small.length));

        byte[] exact = TestPackets.rtp(96, 1, 2, 3, 60); // 72 bytes: exactly 15 CSRCs
        exact[0] = (byte) 0x8F;
        assertEquals(RtpCheck.OK, RtpPacket.check(exact, 0, exact.length));
        assertEquals(RtpCheck.CSRC_PAST_END, RtpPacket.check(exact, 0, exact.length - 1));
    }

    @Test
    void extensionHeaderOrLengthPastEndIsRejected() {
        byte[] noRoomForHeader = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0xBEDE).toBytes();
        assertEquals(RtpCheck.EXTENSION_PAST_END, RtpPacket.check(noRoomForHeader, 0, noRoomForHeader.length));

        byte[] hugeLength = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0xBEDE).u16(0xFFFF).zeros(64)
                .toBytes();
        assertEquals(RtpCheck.EXTENSION_PAST_END, RtpPacket.check(hugeLength, 0, hugeLength.length));

        byte[] oneWordShort = new Writer().u8(0x90).u8(96).u16(1).u32(2).u32(3).u16(0xBEDE).u16(2).zeros(7)
                .toBytes();
        assertEquals(RtpCheck.EXTENSION_PAST_END, RtpPacket.check(oneWordShort, 0, oneWordShort.length));
        assertEquals(RtpCheck.OK, RtpPacket.check(TestPackets.concat(oneWordShort, new byte[1]), 0, 24));
    }

    @Test
    void paddingLongerThanPayloadOrZeroIsRejected() {
        byte[] b = new Writer().u8(0xA0).u8(96).u16(1).u32(2).u32(3).zeros(4).toBytes();
        b[b.length - 1] = 5;
        assertEquals(RtpCheck.BAD_PADDING, RtpPacket.check(b, 0, b.length));
        b[b.length - 1] = 0;
        assertEquals(RtpCheck.BAD_PADDING, RtpPacket.check(b, 0, b.length));
        b[b.length - 1] = 4;
        assertEquals(RtpCheck.OK, RtpPacket.check(b, 0, b.length));

        // P bit on a header-only packet: the padding count byte is inside the header.
        byte[] headerOnly = TestPackets.rtp(96, 1, 2, 3, 0);
        headerOnly[0] = (byte) 0xA0;
        headerOnly[11] = 1;
        assertEquals(RtpCheck.BAD_PADDING, RtpPacket.check(headerOnly, 0, headerOnly.length));
    }

    @Test
    void failedWrapEmptiesTheView() {
        byte[] good = TestPackets.rtp(96, 1, 2, 3, 4);
        assertTrue(packet.wrap(good, 0, good.length));
        assertFalse(packet.wrap(good, 0, 5));
        assertNull(packet.buffer());
        assertEquals(0, packet.length());
    }

    @Test
    void viewOutsideTheArrayIsACallerBug() {
        byte[] b = TestPackets.rtp(96, 1, 2, 3, 4);
        assertThrows(IndexOutOfBoundsException.class, () -> packet.wrap(b, 4, b.length));
        assertThrows(IndexOutOfBoundsException.class, () -> RtpPacket.check(b, -1, 12));
        assertThrows(IndexOutOfBoundsException.class, () -> RtpPacket.isValid(b, 0, -1));
    }
}
