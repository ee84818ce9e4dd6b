package io.livedesk.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated datagrams through every parser: the only allowed outcome for bad bytes is the
 * declared failure path (false / a non-OK {@link RtpCheck}); nothing may throw, and a packet that
 * is accepted must keep every accessor inside its view. Seeds are fixed so a failure reproduces.
 */
class HostileInputFuzzTest {
    private static final int ROUNDS = 100_000;

    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpPacket rtcp = new RtcpPacket();
    private final int[] lost = new int[64];
    private final int[] kindsSeen = new int[RtcpKind.values().length];
    private long sink;

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(0x5EED);
        byte[] buf = new byte[400];
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int len = random.nextInt(200);
            int off = random.nextInt(buf.length - len + 1);
            random.nextBytes(buf);
            if (random.nextBoolean()) {
                // Bias towards version 2 and control types so the deeper checks are reached.
                buf[off] = (byte) (0x80 | random.nextInt(64));
                if (len > 1 && random.nextBoolean()) {
                    buf[off + 1] = (byte) (200 + random.nextInt(8));
                }
                if (len > 3 && random.nextBoolean()) {
                    buf[off + 2] = 0;
                    buf[off + 3] = (byte) random.nextInt(len / 4 + 2);
                }
            }
            accepted += exercise(buf, off, len);
        }
        assertTrue(accepted > 0, "fuzz never produced a valid packet; the bias is broken");
    }

    @Test
    void mutatedValidPacketsNeverThrow() {
        Random random = new Random(42);
        byte[][] seeds = validSeeds();
        byte[] buf = new byte[600];
        for (int round = 0; round < ROUNDS; round++) {
            byte[] seed = seeds[random.nextInt(seeds.length)];
            int off = random.nextInt(64);
            System.arraycopy(seed, 0, buf, off, seed.length);
            int len = seed.length;
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                switch (random.nextInt(4)) {
                    case 0 -> buf[off + random.nextInt(len)] = (byte) random.nextInt(256);
                    case 1 -> buf[off + random.nextInt(Math.min(len, 4))] ^= (byte) (1 << random.nextInt(8));
                    case 2 -> len = random.nextInt(len + 1); // truncate
                    default -> {
                        // Extend over whatever garbage follows in the buffer.
                        len = Math.min(len + random.nextInt(40), buf.length - off);
                    }
                }
                if (len == 0) {
                    break;
                }
            }
            exercise(buf, off, len);
        }
        for (RtcpKind kind : new RtcpKind[] {RtcpKind.SENDER_REPORT, RtcpKind.SDES, RtcpKind.BYE, RtcpKind.NACK,
                RtcpKind.PLI, RtcpKind.FIR, RtcpKind.REMB, RtcpKind.TRANSPORT_CC}) {
            assertTrue(kindsSeen[kind.ordinal()] > 100, "mutations rarely kept a valid " + kind);
        }
    }

    @Test
    void declaredFailureReasonsMatchWrap() {
        Random random = new Random(3);
        byte[] buf = new byte[64];
        for (int round = 0; round < ROUNDS; round++) {
            random.nextBytes(buf);
            buf[0] = (byte) (0x80 | random.nextInt(64));
            int len = random.nextInt(buf.length + 1);
            RtpCheck check = RtpPacket.check(buf, 0, len);
            assertEquals(check == RtpCheck.OK, rtp.wrap(buf, 0, len));
        }
    }

    /** Runs every parser over the view; returns 1 if any accepted it. */
    private int exercise(byte[] buf, int off, int len) {
        PacketKind.classify(buf, off, len);
        int accepted = 0;
        if (rtp.wrap(buf, off, len)) {
            accepted = 1;
            readAllRtp(off, len);
        }
        if (compound.wrap(buf, off, len)) {
            accepted = 1;
            int n = 0;
            while (compound.next(rtcp)) {
                assertTrue(rtcp.offset() >= off && rtcp.offset() + rtcp.length() <= off + len);
                readAllRtcp();
                n++;
            }
            assertEquals(compound.packetCount(), n);
        }
        return accepted;
    }

    private void readAllRtp(int off, int len) {
        assertTrue(rtp.headerLength() >= 12 && rtp.payloadLength() >= 0);
        assertTrue(rtp.payloadOffset() + rtp.payloadLength() + rtp.paddingLength() == off + len);
        sink += rtp.version() + rtp.csrcCount() + rtp.payloadType() + rtp.sequenceNumber() + rtp.timestamp()
                + rtp.ssrc() + rtp.extensionProfile() + (rtp.marker() ? 1 : 0);
        for (int i = 0; i < rtp.csrcCount(); i++) {
            sink += rtp.csrc(i);
        }
        for (int id = 0; id <= 256; id++) {
            int at = rtp.extensionOffset(id);
            if (at >= 0) {
                int extLen = rtp.extensionLength(at);
                assertTrue(at >= off + 12 && at + extLen <= off + rtp.headerLength(), "extension inside header");
            }
        }
    }

    private void readAllRtcp() {
        kindsSeen[rtcp.kind().ordinal()]++;
        sink += rtcp.packetType() + rtcp.countOrFormat() + rtcp.contentLength();
        if (rtcp.hasSenderSsrc()) {
            sink += rtcp.senderSsrc();
        }
        if (rtcp.isFeedback()) {
            sink += rtcp.mediaSsrc();
        }
        switch (rtcp.kind()) {
            case SENDER_REPORT, RECEIVER_REPORT -> {
                if (rtcp.kind() == RtcpKind.SENDER_REPORT) {
                    sink += rtcp.srNtpTimestamp() + rtcp.srRtpTimestamp() + rtcp.srPacketCount() + rtcp.srOctetCount();
                }
                for (int i = 0; i < rtcp.reportBlockCount(); i++) {
                    sink += rtcp.reportSsrc(i) + rtcp.reportFractionLost(i) + rtcp.reportCumulativeLost(i)
                            + rtcp.reportExtendedHighestSequence(i) + rtcp.reportJitter(i) + rtcp.reportLastSr(i)
                            + rtcp.reportDelaySinceLastSr(i);
                }
            }
            case BYE -> {
                for (int i = 0; i < rtcp.byeSsrcCount(); i++) {
                    sink += rtcp.byeSsrc(i);
                }
            }
            case NACK -> {
                sink += rtcp.nackLostCount() + rtcp.copyNackLost(lost, 0);
                rtcp.forEachNackLost(seq -> sink += seq);
            }
            case FIR -> {
                for (int i = 0; i < rtcp.firEntryCount(); i++) {
                    sink += rtcp.firSsrc(i) + rtcp.firSequenceNumber(i);
                }
            }
            case REMB -> {
                sink += rtcp.rembBitrate();
                for (int i = 0; i < rtcp.rembSsrcCount(); i++) {
                    sink += rtcp.rembSsrc(i);
                }
            }
            case TRANSPORT_CC -> sink += rtcp.tccBaseSequenceNumber() + rtcp.tccPacketStatusCount()
                    + rtcp.tccReferenceTime() + rtcp.tccFeedbackPacketCount();
            default -> {
            }
        }
    }

    private static byte[][] validSeeds() {
        byte[] ext = new TestPackets.Writer().u8(0xB1).u8(96).u16(1).u32(2).u32(3).u32(4)
                .u16(0xBEDE).u16(2).u8(0x10).u8(1).u8(0x21).u8(2).u8(3).u8(0).u8(0).u8(0).zeros(30).u8(2).u8(2)
                .toBytes();
        byte[] twoByte = new TestPackets.Writer().u8(0x90).u8(100).u16(1).u32(2).u32(3)
                .u16(0x1000).u16(2).u8(5).u8(3).u8(1).u8(2).u8(3).u8(9).u8(0).u8(0).zeros(50).toBytes();
        byte[] feedback = new byte[200];
        int n = RtcpFeedbackWriter.writePli(feedback, 0, 1, 2);
        n += RtcpFeedbackWriter.writeFir(feedback, n, 1, 2, 3);
        n += RtcpFeedbackWriter.writeNack(feedback, n, 1, 2, new int[] {1, 3, 40, 41}, 0, 4);
        n += RtcpFeedbackWriter.writeRemb(feedback, n, 1, 1_500_000, new int[] {7, 8}, 0, 2);
        byte[] tcc = TestPackets.rtcpHeader(false, 15, 205, 5).u32(1).u32(2).u16(3).u16(4).u24(5).u8(6).u32(0)
                .toBytes();
        byte[] reports = TestPackets.concat(
                TestPackets.senderReport(1, 2, 3, 4, 5, TestPackets.reportBlock(6, 7, 8, 9, 10, 11, 12)),
                TestPackets.sdesCname(1, "cname"), TestPackets.bye(1, 2), tcc);
        return new byte[][] {TestPackets.rtp(111, 1, 2, 3, 80), ext, twoByte,
                java.util.Arrays.copyOf(feedback, n), reports};
    }
}
