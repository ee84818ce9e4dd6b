package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpKind;
import io.livedesk.media.rtp.RtcpPacket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.livedesk.media.bridge.Packets.i32;
import static io.livedesk.media.bridge.Packets.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packet path with fake links: routing by SSRC, drops, NACK, keyframe requests, REMB, expiry. */
class ForwardingTest {
    private static final int BRIDGE = 0x0B0B0B0B;
    private static final int A_AUDIO = 1001;
    private static final int A_VIDEO = 2001;
    private static final int A_RTX = 2002;
    private static final int B_AUDIO = 3001;
    private static final int B_VIDEO = 0xF0000001; // above 2^31: SSRCs are unsigned
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final BridgeConfig config = BridgeConfig.defaults("127.0.0.1", 10000);
    private ForwardingContext context;
    private Conference conference;
    private Endpoint a;
    private Endpoint b;
    private Endpoint c;
    private FakeLink linkA;
    private FakeLink linkB;
    private FakeLink linkC;

    @BeforeEach
    void setUp() throws Exception {
        context = new ForwardingContext(now::get, BRIDGE, config);
        conference = new Conference(new MeetingId("m1"), "room", context);
        linkA = new FakeLink();
        linkB = new FakeLink();
        linkC = new FakeLink();
        a = endpoint("a", linkA);
        b = endpoint("b", linkB);
        c = endpoint("c", linkC);
        conference.setSources(a, List.of(audio(A_AUDIO), video(A_VIDEO, A_RTX)));
        conference.setSources(b, List.of(audio(B_AUDIO), video(B_VIDEO, null)));
        // Everyone has already sent a packet: no keyframe-on-first-packet noise in these tests.
        for (Endpoint e : List.of(a, b, c)) {
            e.markSecureHandled();
        }
    }

    private Endpoint endpoint(String id, FakeLink link) {
        Endpoint e = new Endpoint(id, id, conference, now.get());
        e.attach(link);
        conference.add(e);
        return e;
    }

    private static MediaSource audio(int ssrc) {
        return new MediaSource(MediaType.AUDIO, "a" + ssrc, List.of(new MediaSource.Ssrc(ssrc & 0xFFFFFFFFL, "x")), List.of());
    }

    private static MediaSource video(int ssrc, Integer rtx) {
        long s = ssrc & 0xFFFFFFFFL;
        if (rtx == null) {
            return new MediaSource(MediaType.VIDEO, "v" + s, List.of(new MediaSource.Ssrc(s, "x")), List.of());
        }
        return new MediaSource(MediaType.VIDEO, "v" + s, List.of(new MediaSource.Ssrc(s, "x"), new MediaSource.Ssrc(rtx, "x")),
                List.of(new MediaSource.SsrcGroup("FID", List.of(s, (long) rtx))));
    }

    private static void send(Endpoint from, byte[] rtp) {
        from.receiver.onRtp(rtp, 0, rtp.length);
    }

    private static void sendRtcp(Endpoint from, byte[] rtcp) {
        from.receiver.onRtcp(rtcp, 0, rtcp.length);
    }

    /** The RTCP packets of kind {@code kind} a link received. */
    private static List<byte[]> rtcpOf(FakeLink link, RtcpKind kind) {
        List<byte[]> out = new ArrayList<>();
        RtcpCompound compound = new RtcpCompound();
        RtcpPacket p = new RtcpPacket();
        for (byte[] datagram : link.rtcp) {
            assertTrue(compound.wrap(datagram, 0, datagram.length));
            while (compound.next(p)) {
                if (p.kind() == kind) {
                    out.add(datagram);
                }
            }
        }
        return out;
    }

    @Test
    void rtpOfADeclaredSsrcGoesUnchangedToEveryOtherEndpoint() {
        byte[] packet = Packets.rtp(A_VIDEO, 7, 96, 100);
        send(a, packet);

        assertEquals(1, linkB.rtp.size());
        assertEquals(1, linkC.rtp.size());
        assertArrayEquals(packet, linkB.rtp.get(0));
        assertArrayEquals(packet, linkC.rtp.get(0));
        assertTrue(linkA.rtp.isEmpty(), "never back to the sender");
        assertEquals(1, a.counters.packetsIn());
        assertEquals(packet.length, a.counters.bytesIn());
        assertEquals(1, b.counters.packetsOut());
        assertEquals(1, b.counters.rtpForwarded());

        byte[] fromB = Packets.rtp(B_VIDEO, 65535, 96, 10);
        send(b, fromB);
        assertArrayEquals(fromB, linkA.rtp.get(0));
        assertArrayEquals(fromB, linkC.rtp.get(1));
    }

    @Test
    void unknownOrForeignSsrcsAreDroppedAndCounted() {
        send(a, Packets.rtp(999, 1, 96, 10));
        send(a, Packets.rtp(B_VIDEO, 1, 96, 10)); // b's SSRC, sent by a
        byte[] garbage = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        garbage[0] = (byte) 0x8F; // 15 CSRCs that are not there
        send(a, garbage);

        assertTrue(linkB.rtp.isEmpty() && linkC.rtp.isEmpty());
        assertEquals(2, a.counters.dropped(ForwardingDrop.UNKNOWN_SSRC));
        assertEquals(1, a.counters.dropped(ForwardingDrop.MALFORMED_RTP));
        assertEquals(3, a.counters.packetsIn(), "received, then dropped");
    }

    @Test
    void aReceiveOnlyEndpointsRtpReachesNoOneWhateverSsrcItClaims() {
        // c declared no sources (a livestream viewer): nothing it sends is forwarded, not even under a's SSRC.
        send(c, Packets.rtp(7777, 1, 96, 100));
        send(c, Packets.rtp(A_VIDEO, 2, 96, 100));
        send(c, Packets.rtp(B_AUDIO, 3, 111, 20));

        assertTrue(linkA.rtp.isEmpty() && linkB.rtp.isEmpty(), "forwarded from a receive-only endpoint");
        assertEquals(3, c.counters.dropped(ForwardingDrop.RECEIVE_ONLY));
        assertEquals(0, c.counters.dropped(ForwardingDrop.UNKNOWN_SSRC));
        assertEquals(0, a.counters.rtpForwarded() + b.counters.rtpForwarded());
        assertEquals(0, conference.stream(A_VIDEO).received(), "a's stream accounting is untouched");

        // It still receives, and its feedback is still a receiver's.
        send(a, Packets.rtp(A_VIDEO, 4, 96, 100));
        assertEquals(1, linkC.rtp.size());
        sendRtcp(c, Packets.pli(1, A_VIDEO));
        assertEquals(1, rtcpOf(linkA, RtcpKind.PLI).size());
    }

    @Test
    void aReceiverThatIsNotSecureYetGetsNothingAndItIsCounted() {
        linkC.secure = false;
        send(a, Packets.rtp(A_AUDIO, 1, 111, 50));
        assertEquals(1, linkB.rtp.size());
        assertTrue(linkC.rtp.isEmpty());
        assertEquals(1, c.counters.dropped(ForwardingDrop.NOT_CONNECTED));
    }

    @Test
    void nackIsAnsweredFromTheCacheAndOnlyTheMissingAreAskedOfTheSender() {
        for (int seq = 100; seq <= 110; seq++) {
            if (seq != 105) {
                send(a, Packets.rtp(A_VIDEO, seq, 96, 200));
            }
        }
        linkB.clear();
        linkC.clear();
        sendRtcp(b, Packets.nack(B_VIDEO, A_VIDEO, 103, 105, 107));

        assertEquals(2, linkB.rtp.size(), "103 and 107 resent to b from the cache");
        assertEquals(103, u16(linkB.rtp.get(0), 2));
        assertEquals(107, u16(linkB.rtp.get(1), 2));
        assertArrayEquals(Packets.rtp(A_VIDEO, 103, 96, 200), linkB.rtp.get(0));
        assertTrue(linkC.rtp.isEmpty(), "only the receiver that asked gets retransmissions");
        assertEquals(2, b.counters.retransmitted());

        List<byte[]> nacks = rtcpOf(linkA, RtcpKind.NACK);
        assertEquals(1, nacks.size(), "105 was never received: asked of the sender");
        RtcpPacket nack = new RtcpPacket();
        assertTrue(nack.wrap(nacks.get(0), 0, nacks.get(0).length));
        assertEquals(BRIDGE, nack.senderSsrc());
        assertEquals(A_VIDEO, nack.mediaSsrc());
        assertEquals(1, nack.nackLostCount());
        assertEquals(105, nack.nackPid(0));
        assertEquals(1, a.counters.nacksToSender());
    }

    @Test
    void whereTheSenderNegotiatedRtxARetransmissionGoesAsRtxOnEachReceiversOwnNumbering() {
        a.medias(List.of(new io.livedesk.media.api.Media(MediaType.VIDEO, List.of(
                new io.livedesk.media.api.PayloadType(96, "VP8", 90000, 1, java.util.Map.of(), List.of()),
                new io.livedesk.media.api.PayloadType(97, "rtx", 90000, 1, java.util.Map.of("apt", "96"), List.of())),
                List.of())));
        for (int seq = 100; seq <= 104; seq++) {
            send(a, Packets.rtp(A_VIDEO, seq, 96, 200));
        }
        send(a, Packets.rtp(A_RTX, 7000, 97, 202)); // the sender's own retransmission, forwarded
        linkB.clear();
        sendRtcp(b, Packets.nack(B_VIDEO, A_VIDEO, 102));
        assertEquals(1, linkB.rtp.size());
        byte[] rtx = linkB.rtp.get(0);
        assertEquals(97, rtx[1] & 0x7F, "the RTX payload type");
        assertEquals(A_RTX, i32(rtx, 8), "on the FID partner's SSRC");
        assertEquals(1, u16(rtx, 2), "b's RTX numbering: the forwarded one was 0");
        assertEquals(102, u16(rtx, 12), "the original sequence number first in the payload");
        assertEquals(200 + 2, rtx.length - 12);
        assertEquals(1, b.counters.retransmitted());

        linkC.clear();
        send(a, Packets.rtp(A_RTX, 7001, 97, 202));
        assertEquals(1, u16(linkC.rtp.get(0), 2), "c's own numbering goes on from its first");
    }

    @Test
    void nackForAnUnknownSsrcIsDropped() {
        sendRtcp(b, Packets.nack(B_VIDEO, 4242, 1));
        sendRtcp(b, Packets.nack(B_VIDEO, B_VIDEO, 1)); // about its own stream
        assertTrue(linkA.rtcp.isEmpty() && linkB.rtp.isEmpty());
        assertEquals(2, b.counters.dropped(ForwardingDrop.FEEDBACK_UNKNOWN_SSRC));
    }

    @Test
    void pliGoesToTheOwnerFromTheBridgesSsrcAndIsThrottled() {
        sendRtcp(b, Packets.pli(B_VIDEO, A_VIDEO));
        sendRtcp(c, Packets.pli(1, A_VIDEO));

        List<byte[]> plis = rtcpOf(linkA, RtcpKind.PLI);
        assertEquals(1, plis.size(), "the second request within the window is held back");
        assertEquals(BRIDGE, i32(plis.get(0), 4));
        assertEquals(A_VIDEO, i32(plis.get(0), 8));
        assertTrue(linkB.rtcp.isEmpty() && linkC.rtcp.isEmpty(), "only the owner is asked");

        now.addAndGet(config.keyframeMinInterval().toNanos() + MS);
        sendRtcp(c, Packets.pli(1, A_VIDEO));
        assertEquals(2, rtcpOf(linkA, RtcpKind.PLI).size());
        assertEquals(2, a.counters.keyframeRequestsToSender());
    }

    @Test
    void firGoesToTheOwnerWithItsOwnSequenceNumbers() {
        sendRtcp(a, Packets.fir(A_VIDEO, B_VIDEO, 77));
        List<byte[]> firs = rtcpOf(linkB, RtcpKind.FIR);
        assertEquals(1, firs.size());
        RtcpPacket fir = new RtcpPacket();
        assertTrue(fir.wrap(firs.get(0), 0, firs.get(0).length));
        assertEquals(BRIDGE, fir.senderSsrc());
        assertEquals(B_VIDEO, fir.firSsrc(0));
        assertEquals(0, fir.firSequenceNumber(0));
    }

    @Test
    void pliForAnRtxSsrcIsNotRelayed() {
        sendRtcp(b, Packets.pli(B_VIDEO, A_RTX));
        assertTrue(rtcpOf(linkA, RtcpKind.PLI).isEmpty());
    }

    @Test
    void theFirstPacketOfANewEndpointAsksEveryVideoSenderForAKeyframe() throws Exception {
        FakeLink linkD = new FakeLink();
        Endpoint d = endpoint("d", linkD);
        sendRtcp(d, Packets.receiverReport(5, A_AUDIO, 0, 0, 0));

        List<byte[]> toA = rtcpOf(linkA, RtcpKind.PLI);
        List<byte[]> toB = rtcpOf(linkB, RtcpKind.PLI);
        assertEquals(1, toA.size());
        assertEquals(A_VIDEO, i32(toA.get(0), 8));
        assertEquals(1, toB.size());
        assertEquals(B_VIDEO, i32(toB.get(0), 8));
        assertTrue(linkC.rtcp.isEmpty(), "c sends no video");
        assertTrue(linkD.rtcp.isEmpty());

        // A second packet does not ask again.
        now.addAndGet(10 * config.keyframeMinInterval().toNanos());
        sendRtcp(d, Packets.receiverReport(5, A_AUDIO, 0, 0, 0));
        assertEquals(1, rtcpOf(linkA, RtcpKind.PLI).size());
    }

    @Test
    void anEndpointOfferingAgainAsksEveryVideoSenderForAKeyframeAtOnce() {
        conference.renegotiated(c);
        assertEquals(1, rtcpOf(linkA, RtcpKind.PLI).size());
        assertEquals(A_VIDEO, i32(rtcpOf(linkA, RtcpKind.PLI).get(0), 8));
        assertEquals(1, rtcpOf(linkB, RtcpKind.PLI).size());
        assertTrue(linkC.rtcp.isEmpty(), "nothing to itself");

        FakeLink linkD = new FakeLink();
        linkD.secure = false;
        Endpoint d = endpoint("d", linkD);
        conference.renegotiated(d);
        now.addAndGet(10 * config.keyframeMinInterval().toNanos());
        conference.renegotiated(d);
        assertEquals(1, rtcpOf(linkA, RtcpKind.PLI).size(), "not before its transport is secure");
    }

    @Test
    void theHousekeeperAsksForKeyframesWhenATransportBecomesSecure() {
        FakeLink linkD = new FakeLink();
        linkD.secure = false;
        endpoint("d", linkD);
        Housekeeper housekeeper = housekeeper(new ArrayList<>());
        housekeeper.tick(List.of(conference), 0, now.get());
        assertTrue(rtcpOf(linkA, RtcpKind.PLI).isEmpty(), "not secure yet");

        linkD.secure = true;
        housekeeper.tick(List.of(conference), 0, now.addAndGet(100 * MS));
        assertEquals(1, rtcpOf(linkA, RtcpKind.PLI).size());
        assertEquals(1, rtcpOf(linkB, RtcpKind.PLI).size());
    }

    @Test
    void sendersGetTheLowestReceiverRembOrTheCeiling() {
        BandwidthEstimator estimator = new BandwidthEstimator(BRIDGE, 2_500_000, 100_000);
        assertEquals(2_500_000, estimator.estimateFor(a, conference.endpoints(), now.get()), "no REMB yet: ceiling");

        sendRtcp(b, Packets.remb(B_VIDEO, 800_000, A_VIDEO));
        sendRtcp(c, Packets.remb(7, 1_200_000, A_VIDEO));
        assertEquals(800_000, estimator.estimateFor(a, conference.endpoints(), now.get()));
        sendRtcp(a, Packets.remb(A_VIDEO, 10_000, B_VIDEO));
        assertEquals(800_000, estimator.estimateFor(a, conference.endpoints(), now.get()), "its own REMB does not count");
        assertEquals(100_000, estimator.estimateFor(b, conference.endpoints(), now.get()), "floor");

        estimator.run(conference, now.get(), new byte[1500]);
        List<byte[]> rembs = rtcpOf(linkA, RtcpKind.REMB);
        assertEquals(1, rembs.size());
        RtcpPacket remb = new RtcpPacket();
        assertTrue(remb.wrap(rembs.get(0), 0, rembs.get(0).length));
        assertEquals(BRIDGE, remb.senderSsrc());
        assertEquals(800_000, remb.rembBitrate(), 800_000 >> 17);
        assertEquals(1, remb.rembSsrcCount());
        assertEquals(A_VIDEO, remb.rembSsrc(0), "primary video SSRCs only");
        assertTrue(rtcpOf(linkC, RtcpKind.REMB).isEmpty(), "c sends no video");
        assertEquals(800_000, a.estimateSentBps(), 800_000 >> 17);

        now.addAndGet(BandwidthEstimator.REMB_FRESH_NANOS + MS);
        assertEquals(2_500_000, estimator.estimateFor(a, conference.endpoints(), now.get()), "stale REMBs expire");
    }

    @Test
    void senderReportsAreRelayedAndReceiverReportsGiveRttAndLoss() {
        long ntp = 0x0000_1234_5678_0000L;
        sendRtcp(a, Packets.senderReport(A_VIDEO, ntp));
        assertEquals(1, linkB.rtcp.size());
        assertEquals(1, linkC.rtcp.size());
        assertTrue(linkA.rtcp.isEmpty());

        now.addAndGet(50 * MS);
        // b held the SR for 10 ms (655.36 units of 1/65536 s) before reporting.
        sendRtcp(b, Packets.receiverReport(B_VIDEO, A_VIDEO, 64, 0x1234_5678L, 655));
        assertEquals(40.0, b.rttMs(), 0.1);
        assertEquals(0.25, b.fractionLost(), 1e-9);
        assertEquals(1, rtcpOf(linkA, RtcpKind.RECEIVER_REPORT).size(), "relayed to the reported stream's owner");
    }

    @Test
    void lossIsCountedFromSequenceGaps() {
        for (int seq : new int[] {65530, 65531, 65534, 1, 2}) {
            send(a, Packets.rtp(A_AUDIO, seq, 111, 20));
        }
        assertEquals(4, a.packetsLost(), "65532, 65533, 65535, 0");
    }

    @Test
    void sourcesAreValidatedAndRtxIsNotAPrimaryStream() {
        assertThrows(BridgeException.BadRequest.class, () -> conference.setSources(c, List.of(audio(A_AUDIO))),
                "a's SSRC");
        assertThrows(BridgeException.BadRequest.class, () -> conference.setSources(c, List.of(audio(BRIDGE))));
        assertThrows(BridgeException.BadRequest.class,
                () -> conference.setSources(c, List.of(audio(5), audio(5))));
        assertFalse(conference.stream(A_RTX).primary);
        assertNull(conference.stream(A_RTX).cache);
        assertTrue(conference.stream(A_VIDEO).primary);
        assertSame(a, conference.stream(A_VIDEO).owner);

        // Keeping an SSRC keeps its stream (and cache).
        SenderStream before = conference.stream(A_VIDEO);
        assertDoesNotThrow(() -> conference.setSources(a, List.of(video(A_VIDEO, A_RTX))));
        assertSame(before, conference.stream(A_VIDEO));
        assertNull(conference.stream(A_AUDIO), "a no longer sends audio");
        send(a, Packets.rtp(A_AUDIO, 1, 111, 10));
        assertEquals(1, a.counters.dropped(ForwardingDrop.UNKNOWN_SSRC));
    }

    @Test
    void removedEndpointsReceiveNothingAndTheirSsrcsAreFree() throws Exception {
        conference.remove("b");
        send(a, Packets.rtp(A_VIDEO, 1, 96, 10));
        assertTrue(linkB.rtp.isEmpty());
        assertEquals(1, linkC.rtp.size());
        assertNull(conference.stream(B_VIDEO));
        conference.setSources(c, List.of(video(B_VIDEO, null)));
        assertSame(c, conference.stream(B_VIDEO).owner);
    }

    @Test
    void idleAndFailedEndpointsAreExpiredByTheHousekeeper() {
        List<String> expired = new ArrayList<>();
        Housekeeper housekeeper = housekeeper(expired);
        linkC.failed = true;
        send(a, Packets.rtp(A_AUDIO, 1, 111, 10));
        housekeeper.tick(List.of(conference), 0, now.get());
        assertEquals(List.of("c: ICE failed"), expired);

        now.addAndGet(config.inactivityTimeout().toNanos() - 10 * MS);
        send(a, Packets.rtp(A_AUDIO, 2, 111, 10));
        now.addAndGet(20 * MS);
        expired.clear();
        housekeeper.tick(List.of(conference), 0, now.get());
        assertTrue(expired.contains("b: idle"), expired.toString());
        assertFalse(expired.contains("a: idle"), expired.toString());
    }

    @Test
    void stressIsPacketRateOverCapacity() {
        Housekeeper housekeeper = new Housekeeper(config.withCapacity(1000), new BandwidthEstimator(BRIDGE, 2_500_000, 100_000),
                null, now.get());
        housekeeper.tick(List.of(), 0, now.addAndGet(1000 * MS));
        housekeeper.tick(List.of(), 500, now.addAndGet(1000 * MS));
        assertEquals(0.5, housekeeper.stressLevel(), 1e-9);
    }

    private Housekeeper housekeeper(List<String> expired) {
        return new Housekeeper(config, new BandwidthEstimator(BRIDGE, 2_500_000, 100_000), new Housekeeper.Expirer() {
            @Override
            public void expire(Conference conf, Endpoint endpoint, String reason) {
                expired.add(endpoint.id + ": " + (reason.startsWith("no packets") ? "idle" : reason));
            }

            @Override
            public void expireEmpty(Conference conf) {
                expired.add("conference");
            }
        }, now.get());
    }

    private static void assertDoesNotThrow(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
    }
}
