package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livedesk.media.rtp.TestPackets.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RtcpFeedbackWriterTest {
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpPacket packet = new RtcpPacket();

    private RtcpPacket parseSingle(byte[] buf, int off, int len) {
        assertTrue(compound.wrap(buf, off, len));
        assertTrue(compound.next(packet));
        assertEquals(1, compound.packetCount());
        return packet;
    }

    @Test
    void pliMatchesRfc4585Layout() {
        byte[] buf = new byte[20];
        int n = RtcpFeedbackWriter.writePli(buf, 4, 0x01020304, 0x0A0B0C0D);

        assertEquals(12, n);
        byte[] expected = new Writer().u8(0x81).u8(206).u16(2).u32(0x01020304L).u32(0x0A0B0C0DL).toBytes();
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(buf, 4, 16));
        RtcpPacket p = parseSingle(buf, 4, n);
        assertEquals(RtcpKind.PLI, p.kind());
        assertEquals(0x01020304, p.senderSsrc());
        assertEquals(0x0A0B0C0D, p.mediaSsrc());
    }

    @Test
    void relayedPliIsRetargetedInPlace() {
        // A receiver asks about the SSRC the bridge forwards to it; the bridge relays the PLI to the
        // original sender's SSRC, as its own request.
        byte[] buf = new byte[12];
        RtcpFeedbackWriter.writePli(buf, 0, 0x7777, 0xF0F0);
        RtcpPacket p = parseSingle(buf, 0, buf.length);
        p.setMediaSsrc(0x1234);
        p.setSenderSsrc(0xB1D6E);

        RtcpPacket again = parseSingle(buf, 0, buf.length);
        assertEquals(RtcpKind.PLI, again.kind());
        assertEquals(0x1234, again.mediaSsrc());
        assertEquals(0xB1D6E, again.senderSsrc());
    }

    @Test
    void firRoundTripCarriesTargetAndCommandSequence() {
        byte[] buf = new byte[RtcpFeedbackWriter.FIR_LENGTH];
        int n = RtcpFeedbackWriter.writeFir(buf, 0, 0x99, 0xABCDEF01, 257);

        RtcpPacket p = parseSingle(buf, 0, n);
        assertEquals(RtcpKind.FIR, p.kind());
        assertEquals(0, p.mediaSsrc(), "RFC 5104: media source SSRC of a FIR is 0");
        assertEquals(1, p.firEntryCount());
        assertEquals(0xABCDEF01, p.firSsrc(0));
        assertEquals(1, p.firSequenceNumber(0), "command sequence is 8 bits");
        p.setFirSsrc(0, 0x55);
        assertEquals(0x55, parseSingle(buf, 0, n).firSsrc(0));
    }

    @Test
    void nackPacksFollowingSequencesIntoTheBitmask() {
        int[] seqs = {100, 101, 103, 116, 117, 200};
        byte[] buf = new byte[64];
        int n = RtcpFeedbackWriter.writeNack(buf, 0, 1, 2, seqs, 0, seqs.length);

        RtcpPacket p = parseSingle(buf, 0, n);
        assertEquals(RtcpKind.NACK, p.kind());
        assertEquals(2, p.mediaSsrc());
        assertEquals(3, p.nackItemCount(), "100 covers 101-116; 117 and 200 start new items");
        assertEquals(100, p.nackPid(0));
        assertEquals(0b1000_0000_0000_0101, p.nackBlp(0));
        assertEquals(117, p.nackPid(1));
        assertEquals(0, p.nackBlp(1));
        assertEquals(200, p.nackPid(2));
        assertEquals(6, p.nackLostCount());
        int[] lost = new int[10];
        assertEquals(6, p.copyNackLost(lost, 0));
        assertArrayEquals(seqs, java.util.Arrays.copyOf(lost, 6));
    }

    @Test
    void nackBitmaskSpansTheWrap() {
        int[] seqs = {65534, 65535, 0, 13};
        byte[] buf = new byte[32];
        int n = RtcpFeedbackWriter.writeNack(buf, 0, 1, 2, seqs, 0, seqs.length);

        RtcpPacket p = parseSingle(buf, 0, n);
        assertEquals(1, p.nackItemCount());
        List<Integer> lost = new ArrayList<>();
        p.forEachNackLost(lost::add);
        assertEquals(List.of(65534, 65535, 0, 13), lost);
    }

    @Test
    void nackDuplicatesAndUnsortedInputAreReportedCompletely() {
        int[] seqs = {50, 10, 50, 11, 49, 10};
        byte[] buf = new byte[64];
        int n = RtcpFeedbackWriter.writeNack(buf, 0, 1, 2, seqs, 0, seqs.length);
        assertEquals(n, RtcpFeedbackWriter.nackLength(seqs, 0, seqs.length));

        RtcpPacket p = parseSingle(buf, 0, n);
        TreeSet<Integer> lost = new TreeSet<>();
        p.forEachNackLost(lost::add);
        assertEquals(new TreeSet<>(List.of(10, 11, 49, 50)), lost);
    }

    @Test
    void nackRoundTripOfRandomSortedLossSets() {
        Random random = new Random(7);
        byte[] buf = new byte[4096];
        int[] out = new int[1000];
        for (int round = 0; round < 2000; round++) {
            int start = random.nextInt(65536);
            int count = 1 + random.nextInt(60);
            int[] seqs = new int[count];
            int seq = start;
            for (int i = 0; i < count; i++) {
                seq = (seq + 1 + random.nextInt(random.nextBoolean() ? 3 : 40)) & 0xFFFF;
                seqs[i] = seq;
            }
            int n = RtcpFeedbackWriter.writeNack(buf, 0, 1, 2, seqs, 0, count);
            RtcpPacket p = parseSingle(buf, 0, n);
            assertEquals(count, p.copyNackLost(out, 0));
            assertArrayEquals(seqs, java.util.Arrays.copyOf(out, count), "round " + round);
        }
    }

    @Test
    void copyNackLostStopsWhenTheArrayIsFull() {
        int[] seqs = {1, 2, 3, 4, 5};
        byte[] buf = new byte[32];
        int n = RtcpFeedbackWriter.writeNack(buf, 0, 1, 2, seqs, 0, seqs.length);
        int[] small = new int[4];
        assertEquals(3, parseSingle(buf, 0, n).copyNackLost(small, 1));
        assertArrayEquals(new int[] {0, 1, 2, 3}, small);
    }

    @Test
    void nackNeedsAtLeastOneSequence() {
        assertThrows(IllegalArgumentException.class,
                () -> RtcpFeedbackWriter.writeNack(new byte[64], 0, 1, 2, new int[0], 0, 0));
    }

    @Test
    void rembRoundTripIsExactBelowEighteenBits() {
        byte[] buf = new byte[64];
        int[] ssrcs = {0x11, 0x22, 0x33};
        int n = RtcpFeedbackWriter.writeRemb(buf, 0, 0x44, 262_143, ssrcs, 1, 2);

        assertEquals(RtcpFeedbackWriter.rembLength(2), n);
        RtcpPacket p = parseSingle(buf, 0, n);
        assertEquals(RtcpKind.REMB, p.kind());
        assertEquals(0x44, p.senderSsrc());
        assertEquals(262_143, p.rembBitrate());
        assertEquals(2, p.rembSsrcCount());
        assertEquals(0x22, p.rembSsrc(0));
        assertEquals(0x33, p.rembSsrc(1));
    }

    @Test
    void rembMantissaExponentRoundTripKeepsEighteenSignificantBits() {
        byte[] buf = new byte[64];
        Random random = new Random(11);
        long[] fixed = {0, 1, 262_144, 1_000_000, 2_500_000, 30_000_000, 1L << 40, Long.MAX_VALUE};
        for (int i = 0; i < 10_000; i++) {
            long bitrate = i < fixed.length ? fixed[i] : (random.nextLong() >>> 1) >>> random.nextInt(63);
            int n = RtcpFeedbackWriter.writeRemb(buf, 0, 1, bitrate, new int[] {5}, 0, 1);
            long decoded = parseSingle(buf, 0, n).rembBitrate();
            assertTrue(decoded <= bitrate, bitrate + " decoded as " + decoded);
            // Rounding down to an 18-bit mantissa loses less than 2^-17 of the value.
            assertTrue(bitrate - decoded <= bitrate >>> 17, bitrate + " decoded as " + decoded);
        }
    }

    @Test
    void rembWithExponentBeyondLongSaturates() {
        byte[] b = TestPackets.rtcpHeader(false, 15, 206, 4).u32(1).u32(0).u32(0x52454D42L).u8(0)
                .u24(63 << 18 | 0x3FFFF).toBytes();
        assertEquals(Long.MAX_VALUE, parseSingle(b, 0, b.length).rembBitrate());
    }

    @Test
    void rembRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> RtcpFeedbackWriter.writeRemb(new byte[64], 0, 1, -1, new int[0], 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RtcpFeedbackWriter.writeRemb(new byte[2048], 0, 1, 1, new int[256], 0, 256));
    }

    @Test
    void tooSmallBufferWritesNothing() {
        byte[] buf = new byte[15];
        assertThrows(IndexOutOfBoundsException.class, () -> RtcpFeedbackWriter.writePli(buf, 4, 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> RtcpFeedbackWriter.writeFir(buf, 0, 1, 2, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> RtcpFeedbackWriter.writeNack(buf, 0, 1, 2, new int[] {1, 100}, 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> RtcpFeedbackWriter.writeRemb(buf, 0, 1, 5, new int[] {1}, 0, 1));
        assertArrayEquals(new byte[15], buf);
    }

    @Test
    void builtPacketsFormOneCompound() {
        byte[] buf = new byte[128];
        int n = RtcpFeedbackWriter.writePli(buf, 0, 1, 2);
        n += RtcpFeedbackWriter.writeFir(buf, n, 1, 2, 0);
        n += RtcpFeedbackWriter.writeNack(buf, n, 1, 2, new int[] {5}, 0, 1);
        n += RtcpFeedbackWriter.writeRemb(buf, n, 1, 100_000, new int[] {2}, 0, 1);

        assertTrue(compound.wrap(buf, 0, n));
        List<RtcpKind> kinds = new ArrayList<>();
        while (compound.next(packet)) {
            kinds.add(packet.kind());
        }
        assertEquals(List.of(RtcpKind.PLI, RtcpKind.FIR, RtcpKind.NACK, RtcpKind.REMB), kinds);
    }
}
