package io.livedesk.media.rtp;

import static io.livedesk.media.rtp.TestPackets.concat;
import static io.livedesk.media.rtp.TestPackets.rtcpHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpCompoundTest {
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpPacket packet = new RtcpPacket();

    private List<RtcpKind> kinds(byte[] b, int off, int len) {
        List<RtcpKind> kinds = new ArrayList<>();
        assertTrue(compound.wrap(b, off, len), "compound should be valid");
        while (compound.next(packet)) {
            kinds.add(packet.kind());
        }
        return kinds;
    }

    @Test
    void iteratesSenderReportSdesAndBye() {
        byte[] block = TestPackets.reportBlock(0x2222, 25, -3, 0x1_0005L, 17, 0xAABBCCDDL, 65536);
        byte[] sr = TestPackets.senderReport(0x1111, 0x0102030405060708L, 0xCAFE, 1000, 123456, block);
        byte[] b = concat(sr, TestPackets.sdesCname(0x1111, "abc"), TestPackets.bye(0x1111, 0x3333));

        assertEquals(List.of(RtcpKind.SENDER_REPORT, RtcpKind.SDES, RtcpKind.BYE), kinds(b, 0, b.length));
        assertEquals(3, compound.packetCount());

        compound.rewind();
        assertTrue(compound.next(packet));
        assertEquals(0x1111, packet.senderSsrc());
        assertEquals(0x0102030405060708L, packet.srNtpTimestamp());
        assertEquals(0xCAFE, packet.srRtpTimestamp());
        assertEquals(1000, packet.srPacketCount());
        assertEquals(123456, packet.srOctetCount());
        assertEquals(1, packet.reportBlockCount());
        assertEquals(0x2222, packet.reportSsrc(0));
        assertEquals(25, packet.reportFractionLost(0));
        assertEquals(-3, packet.reportCumulativeLost(0));
        assertEquals(0x1_0005L, packet.reportExtendedHighestSequence(0));
        assertEquals(17, packet.reportJitter(0));
        assertEquals(0xAABBCCDDL, packet.reportLastSr(0));
        assertEquals(65536, packet.reportDelaySinceLastSr(0));
        assertThrows(IndexOutOfBoundsException.class, () -> packet.reportSsrc(1));

        assertTrue(compound.next(packet));
        assertTrue(compound.next(packet));
        assertEquals(2, packet.byeSsrcCount());
        assertEquals(0x3333, packet.byeSsrc(1));
        assertFalse(compound.next(packet));
    }

    @Test
    void receiverReportBlocksCanBeRewrittenPerLeg() {
        byte[] rr = TestPackets.receiverReport(0xAAAA,
                TestPackets.reportBlock(1, 0, 0, 0, 0, 0, 0), TestPackets.reportBlock(2, 0, 0, 0, 0, 0, 0));

        assertEquals(List.of(RtcpKind.RECEIVER_REPORT), kinds(rr, 0, rr.length));
        compound.rewind();
        compound.next(packet);
        packet.setSenderSsrc(0xBBBB);
        packet.setReportSsrc(1, 0xCCCC);

        compound.wrap(rr, 0, rr.length);
        compound.next(packet);
        assertEquals(0xBBBB, packet.senderSsrc());
        assertEquals(1, packet.reportSsrc(0));
        assertEquals(0xCCCC, packet.reportSsrc(1));
    }

    @Test
    void reducedSizeFeedbackAloneIsAccepted() {
        byte[] pli = new byte[12];
        RtcpFeedbackWriter.writePli(pli, 0, 1, 2);
        byte[] b = TestPackets.embed(pli, 7, 9);

        assertEquals(List.of(RtcpKind.PLI), kinds(b, 7, 12));
    }

    @Test
    void unknownTypesAreFramedButNotInterpreted() {
        byte[] xr = rtcpHeader(false, 0, 207, 2).u32(5).u32(6).toBytes();
        byte[] afb = rtcpHeader(false, 15, 206, 3).u32(1).u32(2).u32(0x41424344L).toBytes();
        byte[] rtpfb = rtcpHeader(false, 3, 205, 2).u32(1).u32(2).toBytes();
        byte[] b = concat(TestPackets.receiverReport(1), xr, afb, rtpfb);

        assertEquals(List.of(RtcpKind.RECEIVER_REPORT, RtcpKind.UNKNOWN, RtcpKind.OTHER_PSFB, RtcpKind.OTHER_RTPFB),
                kinds(b, 0, b.length));
    }

    @Test
    void transportCcHeaderFields() {
        byte[] tcc = rtcpHeader(false, 15, 205, 4).u32(1).u32(2).u16(0xFFF0).u16(300).u24(0xFFFFFE).u8(9)
                .toBytes();

        assertEquals(List.of(RtcpKind.TRANSPORT_CC), kinds(tcc, 0, tcc.length));
        compound.rewind();
        compound.next(packet);
        assertEquals(0xFFF0, packet.tccBaseSequenceNumber());
        assertEquals(300, packet.tccPacketStatusCount());
        assertEquals(-2, packet.tccReferenceTime());
        assertEquals(9, packet.tccFeedbackPacketCount());
    }

    @Test
    void paddingIsAllowedOnlyOnTheLastPacket() {
        byte[] paddedRr = rtcpHeader(true, 0, 201, 2).u32(1).u32(4).toBytes();
        byte[] b = concat(TestPackets.receiverReport(1), paddedRr);
        assertEquals(List.of(RtcpKind.RECEIVER_REPORT, RtcpKind.RECEIVER_REPORT), kinds(b, 0, b.length));
        compound.rewind();
        compound.next(packet);
        compound.next(packet);
        assertEquals(8, packet.contentLength());
        assertEquals(12, packet.length());

        byte[] paddedFirst = concat(paddedRr, TestPackets.receiverReport(1));
        assertFalse(compound.wrap(paddedFirst, 0, paddedFirst.length));
    }

    @Test
    void paddingCountZeroOrBeyondThePacketIsMalformed() {
        byte[] zero = rtcpHeader(true, 0, 201, 2).u32(1).u32(0).toBytes();
        assertFalse(compound.wrap(zero, 0, zero.length));
        byte[] tooLong = rtcpHeader(true, 0, 201, 2).u32(1).u32(9).toBytes();
        assertFalse(compound.wrap(tooLong, 0, tooLong.length));
        // Padding eating into the fixed part of an RR (content 4 < 8).
        byte[] eatsSsrc = rtcpHeader(true, 0, 201, 1).u32(4).toBytes();
        assertFalse(compound.wrap(eatsSsrc, 0, eatsSsrc.length));
    }

    @Test
    void lengthZeroIsOnlyValidForTypesWithoutBody() {
        byte[] byeNoSsrc = rtcpHeader(false, 0, 203, 0).toBytes();
        assertEquals(List.of(RtcpKind.BYE), kinds(byeNoSsrc, 0, 4));
        assertFalse(packet.hasSenderSsrc());
        assertThrows(IllegalStateException.class, packet::senderSsrc);

        for (int pt = 200; pt <= 206; pt++) {
            if (pt == 203 || pt == 202) {
                continue;
            }
            byte[] b = concat(rtcpHeader(false, 1, pt, 0).toBytes(), TestPackets.receiverReport(1));
            assertFalse(compound.wrap(b, 0, b.length), "PT " + pt + " with length 0");
        }
    }

    @Test
    void lengthPointingPastTheEndIsMalformed() {
        byte[] huge = concat(rtcpHeader(false, 0, 201, 0xFFFF).u32(1).toBytes(), new byte[100]);
        assertFalse(compound.wrap(huge, 0, huge.length));

        byte[] rr = TestPackets.receiverReport(1);
        byte[] inBigArray = TestPackets.embed(rr, 0, 64);
        assertFalse(compound.wrap(inBigArray, 0, rr.length - 4), "must not read the bytes after the view");
        assertTrue(compound.wrap(inBigArray, 0, rr.length));
    }

    @Test
    void trailingBytesShorterThanAHeaderAreMalformed() {
        byte[] rr = TestPackets.receiverReport(1);
        for (int extra = 1; extra < 4; extra++) {
            byte[] b = concat(rr, new byte[] {(byte) 0x80, (byte) 201, 0}, new byte[1]);
            assertFalse(compound.wrap(b, 0, rr.length + extra));
        }
        assertFalse(compound.wrap(rr, 0, 0), "an empty datagram is not a compound packet");
        assertEquals(0, compound.packetCount());
        assertFalse(compound.next(packet));
    }

    @Test
    void countsLargerThanThePacketAreMalformed() {
        byte[] srClaimsBlocks = rtcpHeader(false, 2, 200, 6 + 6).u32(1).zeros(20).zeros(24).toBytes();
        assertFalse(compound.wrap(srClaimsBlocks, 0, srClaimsBlocks.length));
        byte[] rrClaimsBlocks = rtcpHeader(false, 31, 201, 1).u32(1).toBytes();
        assertFalse(compound.wrap(rrClaimsBlocks, 0, rrClaimsBlocks.length));
        byte[] byeClaims = rtcpHeader(false, 3, 203, 2).u32(1).u32(2).toBytes();
        assertFalse(compound.wrap(byeClaims, 0, byeClaims.length));
        byte[] sdesClaims = rtcpHeader(false, 2, 202, 2).u32(1).u32(0).toBytes();
        assertFalse(compound.wrap(sdesClaims, 0, sdesClaims.length));
        byte[] rembClaims = rtcpHeader(false, 15, 206, 5).u32(1).u32(0).u32(0x52454D42L).u8(2).u24(1000).u32(7)
                .toBytes();
        assertFalse(compound.wrap(rembClaims, 0, rembClaims.length));
        byte[] nackWithoutItems = rtcpHeader(false, 1, 205, 2).u32(1).u32(2).toBytes();
        assertFalse(compound.wrap(nackWithoutItems, 0, nackWithoutItems.length));
        byte[] firWithoutEntry = rtcpHeader(false, 4, 206, 2).u32(1).u32(0).toBytes();
        assertFalse(compound.wrap(firWithoutEntry, 0, firWithoutEntry.length));
        byte[] tccWithoutFci = rtcpHeader(false, 15, 205, 3).u32(1).u32(2).u32(3).toBytes();
        assertFalse(compound.wrap(tccWithoutFci, 0, tccWithoutFci.length));
    }

    @Test
    void aMalformedPacketAfterGoodOnesRejectsTheWholeDatagram() {
        byte[] b = concat(TestPackets.receiverReport(1), TestPackets.bye(1), rtcpHeader(false, 0, 201, 7).toBytes());
        assertFalse(compound.wrap(b, 0, b.length));
        assertFalse(compound.next(packet));
    }

    @Test
    void iterationStopsIfALengthFieldIsRewrittenAfterWrap() {
        byte[] b = concat(TestPackets.receiverReport(1), TestPackets.bye(1));
        assertTrue(compound.wrap(b, 0, b.length));
        b[8 + 3] = 100; // the BYE's length field now points past the end
        assertTrue(compound.next(packet));
        assertFalse(compound.next(packet));
        assertFalse(compound.next(packet));
    }

    @Test
    void otherVersionsAreMalformed() {
        byte[] rr = TestPackets.receiverReport(1);
        rr[0] = (byte) (rr[0] & 0x3F | 0x40);
        assertFalse(compound.wrap(rr, 0, rr.length));
    }

    @Test
    void accessorsOfAnotherKindAreRefused() {
        byte[] rr = TestPackets.receiverReport(1);
        kinds(rr, 0, rr.length);
        assertThrows(IllegalStateException.class, packet::nackItemCount);
        assertThrows(IllegalStateException.class, packet::rembBitrate);
        assertThrows(IllegalStateException.class, packet::mediaSsrc);
        assertThrows(IllegalStateException.class, packet::srNtpTimestamp);
        assertThrows(IllegalStateException.class, () -> packet.firSsrc(0));
    }
}
