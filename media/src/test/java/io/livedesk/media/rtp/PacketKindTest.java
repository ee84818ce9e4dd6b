package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacketKindTest {
    private static PacketKind classify(int first, int second, int len) {
        byte[] b = new byte[Math.max(len, 2)];
        b[0] = (byte) first;
        b[1] = (byte) second;
        return PacketKind.classify(b, 0, len);
    }

    @Test
    void firstByteRangesOfRfc7983() {
        assertEquals(PacketKind.STUN, classify(0, 1, 20));
        assertEquals(PacketKind.STUN, classify(3, 1, 20));
        assertEquals(PacketKind.UNKNOWN, classify(4, 1, 20));
        assertEquals(PacketKind.UNKNOWN, classify(19, 1, 20));
        assertEquals(PacketKind.DTLS, classify(20, 254, 13));
        assertEquals(PacketKind.DTLS, classify(63, 254, 13));
        assertEquals(PacketKind.UNKNOWN, classify(64, 0, 100));
        assertEquals(PacketKind.UNKNOWN, classify(127, 0, 100));
        assertEquals(PacketKind.RTP, classify(128, 96, 12));
        assertEquals(PacketKind.RTP, classify(191, 0x80 | 111, 12));
        assertEquals(PacketKind.UNKNOWN, classify(192, 96, 100));
        assertEquals(PacketKind.UNKNOWN, classify(255, 96, 100));
    }

    @Test
    void rtcpByControlPacketTypeRfc5761() {
        assertEquals(PacketKind.RTCP, classify(0x80, 200, 8));
        assertEquals(PacketKind.RTCP, classify(0x81, 206, 12));
        assertEquals(PacketKind.RTCP, classify(0x80, 192, 8));
        assertEquals(PacketKind.RTCP, classify(0x80, 223, 8));
        assertEquals(PacketKind.RTP, classify(0x80, 224, 12));
        assertEquals(PacketKind.RTP, classify(0x80, 191, 12));
    }

    @Test
    void tooShortForItsKindIsUnknown() {
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(new byte[0], 0, 0));
        assertEquals(PacketKind.UNKNOWN, classify(0, 1, 19));
        assertEquals(PacketKind.UNKNOWN, classify(22, 254, 12));
        assertEquals(PacketKind.UNKNOWN, classify(0x80, 200, 7));
        assertEquals(PacketKind.UNKNOWN, classify(0x80, 96, 11));
    }

    @Test
    void classifiesAViewInsideALargerBuffer() {
        byte[] b = TestPackets.embed(TestPackets.rtp(96, 1, 2, 3, 4), 5, 5);
        assertEquals(PacketKind.RTP, PacketKind.classify(b, 5, 16));
        assertEquals(PacketKind.UNKNOWN, PacketKind.classify(b, 0, 16), "0x5A filler is not a known first byte");
    }
}
