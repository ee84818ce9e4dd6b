package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.rtp.RtcpCompound;
import io.livedesk.media.rtp.RtcpKind;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.Rtx;
import io.livedesk.media.sdp.Simulcast;
import io.livedesk.media.simulcast.SimulcastRewriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sender simulcasting three VP8 layers by rid through a conference with fake links: the layers' SSRCs are learned
 * from their rid, each receiver gets one layer rewritten onto the track's receiver SSRC, the size it shows video at
 * caps its layer, a switch waits for the new layer's keyframe (asked for) and keeps the numbering continuous, and
 * feedback and sender reports are translated between the receiver's SSRC and the layer it gets, and a receiver's NACK
 * is mapped back to the layer and number each packet came from.
 */
class SimulcastForwardingTest {
    private static final int BRIDGE = 0x0B0B0B0B;
    private static final int RECEIVER_SSRC = 0x5151_5151;
    private static final int RID_EXT = 10;
    private static final int RRID_EXT = 11;
    private static final String[] RIDS = {"f", "h", "q"};
    private static final int[] SSRCS = {0x100, 0x200, 0x300};
    private static final int[] HEIGHTS = {720, 360, 180};
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(SECOND);
    private Conference conference;
    private Endpoint sender;
    private Endpoint small;
    private Endpoint large;
    private FakeLink senderLink;
    private FakeLink smallLink;
    private FakeLink largeLink;
    private final int[] seq = {1000, 5000, 9000};
    private final int[] ts = {10_000, 20_000, 30_000};
    private final int[] pictureId = {10, 200, 3000};

    @BeforeEach
    void setUp() throws Exception {
        conference = new Conference(new MeetingId("live-1"), "live", new ForwardingContext(now::get, BRIDGE,
                BridgeConfig.defaults("127.0.0.1", 10000)));
        senderLink = new FakeLink();
        smallLink = new FakeLink();
        largeLink = new FakeLink();
        sender = endpoint("host", senderLink);
        small = endpoint("small", smallLink);
        large = endpoint("large", largeLink);
        sender.medias(List.of(new Media(MediaType.VIDEO, List.of(), List.of(
                new HeaderExtension(RID_EXT, Simulcast.RTP_STREAM_ID),
                new HeaderExtension(RRID_EXT, Simulcast.REPAIRED_RTP_STREAM_ID)))));
        conference.setSources(sender, List.of(simulcastSource()));
        for (Endpoint e : List.of(sender, small, large)) {
            e.markSecureHandled();
        }
        small.maxVideoHeight(90);
    }

    private static MediaSource simulcastSource() {
        return new MediaSource(MediaType.VIDEO, "camera", List.of(new MediaSource.Ssrc(RECEIVER_SSRC & 0xFFFFFFFFL, "camera")),
                List.of(), List.of(RIDS));
    }

    private Endpoint endpoint(String id, FakeLink link) {
        Endpoint e = new Endpoint(id, id, conference, now.get());
        e.attach(link);
        conference.add(e);
        return e;
    }

    /** One packet of a layer: VP8, the rid extension while {@code withRid}, a keyframe's size when it starts one. */
    private byte[] packet(int layer, boolean keyframe, boolean withRid) {
        byte[] rid = RIDS[layer].getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(80);
        b.put((byte) (withRid ? 0x90 : 0x80)).put((byte) 96).putShort((short) seq[layer]++).putInt(ts[layer])
                .putInt(SSRCS[layer]);
        if (withRid) {
            b.putShort((short) 0xBEDE).putShort((short) 1);
            b.put((byte) ((RID_EXT << 4) | (rid.length - 1))).put(rid);
            for (int i = 1 + rid.length; i < 4; i++) {
                b.put((byte) 0);
            }
        }
        int pid = pictureId[layer]++ & 0x7FFF;
        b.put((byte) 0x90).put((byte) 0x80).put((byte) (0x80 | pid >> 8)).put((byte) pid); // X S, I, 15-bit id
        if (keyframe) {
            b.put((byte) 0x10).put((byte) 0x02).put((byte) 0x00).put((byte) 0x9d).put((byte) 0x01).put((byte) 0x2a)
                    .putShort(Short.reverseBytes((short) (HEIGHTS[layer] * 16 / 9)))
                    .putShort(Short.reverseBytes((short) HEIGHTS[layer]));
        } else {
            b.put((byte) 0x11).put((byte) 0x02).put((byte) 0x00);
        }
        ts[layer] += 3000;
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private void send(int layer, boolean keyframe) {
        byte[] p = packet(layer, keyframe, true);
        sender.receiver.onRtp(p, 0, p.length);
    }

    /** Every layer sends a keyframe, then the housekeeper decides. */
    private void allLayersStartThenChoose() {
        for (int layer = 0; layer < 3; layer++) {
            send(layer, true);
        }
        now.addAndGet(SECOND / 10);
        conference.chooseLayers(now.get());
    }

    private static List<RtpPacket> rtp(FakeLink link) {
        List<RtpPacket> out = new ArrayList<>();
        for (byte[] p : link.rtp) {
            RtpPacket packet = new RtpPacket();
            assertTrue(packet.wrap(p, 0, p.length));
            out.add(packet);
        }
        return out;
    }

    private static List<RtcpPacket> rtcp(FakeLink link, RtcpKind kind) {
        List<RtcpPacket> out = new ArrayList<>();
        for (byte[] datagram : link.rtcp) {
            RtcpCompound compound = new RtcpCompound();
            assertTrue(compound.wrap(datagram, 0, datagram.length));
            RtcpPacket p = new RtcpPacket();
            while (compound.next(p)) {
                if (p.kind() == kind) {
                    out.add(p);
                    p = new RtcpPacket();
                }
            }
        }
        return out;
    }

    @Test
    void layersAreLearnedFromTheirRidAndUnknownRidsAreDropped() {
        allLayersStartThenChoose();
        for (int layer = 0; layer < 3; layer++) {
            SenderStream stream = conference.stream(SSRCS[layer]);
            assertNotNull(stream, "layer " + RIDS[layer]);
            assertEquals(layer, stream.layer);
        }
        byte[] stranger = packet(0, true, true);
        stranger[8] = 0x7F; // another SSRC, with rid "f" again: it replaces the layer's SSRC
        sender.receiver.onRtp(stranger, 0, stranger.length);
        assertEquals(0, conference.stream(0x7F000100).layer);
        assertEquals(null, conference.stream(SSRCS[0]), "one SSRC per layer: the old one is gone");

        byte[] noRid = packet(1, false, false);
        noRid[11] = 0x55; // unknown SSRC and no rid to tell its layer
        long before = sender.counters.dropped(ForwardingDrop.UNKNOWN_SSRC);
        sender.receiver.onRtp(noRid, 0, noRid.length);
        assertEquals(before + 1, sender.counters.dropped(ForwardingDrop.UNKNOWN_SSRC));
    }

    @Test
    void aSenderMakingUpSsrcsLearnsOnlyAFewASecond() {
        long before = sender.counters.dropped(ForwardingDrop.UNKNOWN_SSRC);
        for (int i = 0; i < 100; i++) {
            byte[] p = packet(0, false, true);
            p[8] = (byte) (0x10 + i); // a new SSRC each time, rid "f"
            sender.receiver.onRtp(p, 0, p.length);
        }
        long learned = 100 - (sender.counters.dropped(ForwardingDrop.UNKNOWN_SSRC) - before);
        assertEquals(SimulcastSource.MAX_LEARNED_PER_SECOND, learned);
        now.addAndGet(SECOND);
        send(1, true);
        assertNotNull(conference.stream(SSRCS[1]), "a second later it learns again");
    }

    @Test
    void eachReceiverGetsOneLayerOnTheReceiverSsrcCappedByTheSizeItShowsVideoAt() {
        allLayersStartThenChoose();
        smallLink.clear();
        largeLink.clear();
        for (int frame = 0; frame < 5; frame++) {
            for (int layer = 0; layer < 3; layer++) {
                send(layer, frame == 0);
            }
        }
        List<RtpPacket> toSmall = rtp(smallLink);
        List<RtpPacket> toLarge = rtp(largeLink);
        assertEquals(5, toSmall.size(), "one layer of three");
        assertEquals(5, toLarge.size());
        for (RtpPacket p : toSmall) {
            assertEquals(RECEIVER_SSRC, p.ssrc());
        }
        // The small one's box is 90 px high: the 180 px layer, whose timestamps it gets.
        assertEquals(30_000 + 3000, toSmall.get(0).timestamp(), "q's own numbering when it starts on q");
        assertEquals(10_000 + 3000, toLarge.get(0).timestamp(), "the large one starts on f");
        assertTrue(rtp(senderLink).isEmpty(), "never back to the sender");
    }

    @Test
    void aSwitchWaitsForTheNewLayersKeyframeAsksForItAndKeepsTheNumberingContinuous() {
        allLayersStartThenChoose();
        for (int layer = 0; layer < 3; layer++) {
            send(layer, true); // the small one starts on q
        }
        small.maxVideoHeight(0); // shown large now: one layer up per upgrade step
        senderLink.clear();
        now.addAndGet(SECOND * 3 / 2); // past the upgrade step, not so long that the layers count as stopped
        conference.chooseLayers(now.get());
        smallLink.clear();
        send(1, false); // h, not a keyframe: not yet
        send(2, false); // q goes on meanwhile
        assertEquals(1, smallLink.rtp.size());
        List<RtcpPacket> plis = rtcp(senderLink, RtcpKind.PLI);
        assertTrue(plis.stream().anyMatch(p -> p.mediaSsrc() == SSRCS[1]), "a keyframe of h is asked for");

        send(1, true);
        send(2, false);
        send(1, false);
        List<RtpPacket> out = rtp(smallLink);
        assertEquals(3, out.size(), "q's packet, then h's keyframe and the next; q's no more");
        for (int i = 1; i < out.size(); i++) {
            assertEquals((out.get(i - 1).sequenceNumber() + 1) & 0xFFFF, out.get(i).sequenceNumber(),
                    "no gap and no jump in sequence numbers across the switch");
            assertTrue(((out.get(i).timestamp() - out.get(i - 1).timestamp()) & 0xFFFFFFFFL) < 90_000 * 3,
                    "the timestamp goes on, forward");
        }
    }

    @Test
    void aReceiversPliAndReportsAreAboutTheLayerItGets() {
        allLayersStartThenChoose();
        send(2, true);
        now.addAndGet(SECOND);
        senderLink.clear();
        byte[] pli = Packets.pli(0x77, RECEIVER_SSRC);
        small.receiver.onRtcp(pli, 0, pli.length);
        List<RtcpPacket> plis = rtcp(senderLink, RtcpKind.PLI);
        assertEquals(1, plis.size());
        assertEquals(SSRCS[2], plis.get(0).mediaSsrc(), "the small one gets q: the PLI goes to q");

        byte[] rr = Packets.receiverReport(0x77, RECEIVER_SSRC, 64, 0, 0);
        small.receiver.onRtcp(rr, 0, rr.length);
        assertEquals(0.25, small.fractionLost(), 1e-9, "its loss report counts though it names the receiver SSRC");
    }

    @Test
    void aLayersSenderReportReachesItsReceiversOnTheirSsrcAndTimeline() {
        allLayersStartThenChoose();
        send(2, true);
        send(0, true);
        smallLink.clear();
        largeLink.clear();
        byte[] sr = Packets.senderReport(SSRCS[2], 0x0102030405060708L);
        sender.receiver.onRtcp(sr, 0, sr.length);
        List<RtcpPacket> toSmall = rtcp(smallLink, RtcpKind.SENDER_REPORT);
        assertEquals(1, toSmall.size());
        assertEquals(RECEIVER_SSRC, toSmall.get(0).senderSsrc());
        assertEquals(0x0102030405060708L, toSmall.get(0).srNtpTimestamp());
        assertTrue(rtcp(largeLink, RtcpKind.SENDER_REPORT).isEmpty(), "the large one gets f, not q");
    }

    @Test
    void aLayersRtxIsLearnedAndNotForwarded() {
        allLayersStartThenChoose();
        byte[] rtx = packet(0, false, true);
        rtx[8] = 0x66; // its own SSRC
        int idAt = 16; // the element's id byte: the rid extension becomes the repaired rid
        rtx[idAt] = (byte) ((RRID_EXT << 4) | (rtx[idAt] & 0x0F));
        smallLink.clear();
        largeLink.clear();
        sender.receiver.onRtp(rtx, 0, rtx.length);
        assertEquals(1, sender.counters.dropped(ForwardingDrop.SIMULCAST_RTX));
        assertTrue(largeLink.rtp.isEmpty() && smallLink.rtp.isEmpty());
    }

    @Test
    void aRidSourceMustBeVideoWithOneSsrcThatNoOneElseUses() {
        MediaSource twoSsrcs = new MediaSource(MediaType.VIDEO, "x", List.of(new MediaSource.Ssrc(1, "x"),
                new MediaSource.Ssrc(2, "x")), List.of(), List.of("a", "b"));
        assertThrows(BridgeException.BadRequest.class, () -> conference.setSources(large, List.of(twoSsrcs)));
        MediaSource taken = new MediaSource(MediaType.VIDEO, "y", List.of(new MediaSource.Ssrc(RECEIVER_SSRC & 0xFFFFFFFFL,
                "y")), List.of());
        assertThrows(BridgeException.BadRequest.class, () -> conference.setSources(large, List.of(taken)),
                "the host's receiver SSRC is its");
    }

    /** The sequence number the layer's last packet was sent with. */
    private int lastSeq(int layer) {
        return (seq[layer] - 1) & 0xFFFF;
    }

    private SimulcastRewriter rewriterOf(Endpoint receiver) {
        return conference.simulcast(RECEIVER_SSRC).view(receiver).rewriter;
    }

    /**
     * The small receiver gets q, then is shown large and switches to h: returns what it got, the last q packet
     * before the switch and the h packet after it, with their original numbers.
     */
    private byte[][] switchFromQToH(int[] originals) {
        allLayersStartThenChoose();
        for (int layer = 0; layer < 3; layer++) {
            send(layer, true);
        }
        small.maxVideoHeight(0);
        now.addAndGet(SECOND * 3 / 2);
        conference.chooseLayers(now.get());
        smallLink.clear();
        send(2, false);
        originals[0] = lastSeq(2);
        send(2, false);
        send(1, true);
        send(1, false);
        originals[1] = lastSeq(1);
        send(1, false);
        List<byte[]> out = new ArrayList<>(smallLink.rtp);
        assertEquals(5, out.size(), "two of q, then h from its keyframe");
        return new byte[][] {out.get(0), out.get(3)};
    }

    @Test
    void aReceiversNackBeforeAndAfterASwitchIsResentFromTheRightLayerExactlyAsItFirstWentOut() {
        int[] originals = new int[2];
        byte[][] sent = switchFromQToH(originals);
        RtpPacket beforeSwitch = new RtpPacket();
        RtpPacket afterSwitch = new RtpPacket();
        assertTrue(beforeSwitch.wrap(sent[0], 0, sent[0].length) && afterSwitch.wrap(sent[1], 0, sent[1].length));

        SimulcastRewriter rewriter = rewriterOf(small);
        long q = rewriter.origin(beforeSwitch.sequenceNumber());
        assertEquals(2, SimulcastRewriter.originLayer(q));
        assertEquals(SSRCS[2], SimulcastRewriter.originSsrc(q));
        assertEquals(originals[0], SimulcastRewriter.originSequence(q));
        long h = rewriter.origin(afterSwitch.sequenceNumber());
        assertEquals(1, SimulcastRewriter.originLayer(h));
        assertEquals(SSRCS[1], SimulcastRewriter.originSsrc(h));
        assertEquals(originals[1], SimulcastRewriter.originSequence(h));

        smallLink.clear();
        senderLink.clear();
        byte[] nack = Packets.nack(0x77, RECEIVER_SSRC, beforeSwitch.sequenceNumber(), afterSwitch.sequenceNumber());
        small.receiver.onRtcp(nack, 0, nack.length);
        assertEquals(2, smallLink.rtp.size(), "both from the layers' caches");
        assertArrayEquals(sent[0], smallLink.rtp.get(0), "sequence number, timestamp, picture id, SSRC as the first time");
        assertArrayEquals(sent[1], smallLink.rtp.get(1));
        assertEquals(2, small.counters.retransmitted());
        assertTrue(rtcp(senderLink, RtcpKind.NACK).isEmpty(), "nothing to ask the sender");
    }

    @Test
    void whatTheLayersCachesNoLongerHoldIsAskedOfTheSenderInEachLayersOwnNumbering() {
        int[] originals = new int[2];
        byte[][] sent = switchFromQToH(originals);
        now.addAndGet(SECOND * 2); // past the caches' max age; the rewriter's window counts packets, not time
        senderLink.clear();
        smallLink.clear();
        byte[] nack = Packets.nack(0x77, RECEIVER_SSRC, Packets.u16(sent[0], 2), Packets.u16(sent[1], 2));
        small.receiver.onRtcp(nack, 0, nack.length);
        assertTrue(smallLink.rtp.isEmpty());
        List<RtcpPacket> nacks = rtcp(senderLink, RtcpKind.NACK);
        assertEquals(2, nacks.size(), "one per layer SSRC");
        int[] lost = new int[4];
        assertEquals(SSRCS[2], nacks.get(0).mediaSsrc());
        assertEquals(1, nacks.get(0).copyNackLost(lost, 0));
        assertEquals(originals[0], lost[0]);
        assertEquals(SSRCS[1], nacks.get(1).mediaSsrc());
        assertEquals(1, nacks.get(1).copyNackLost(lost, 0));
        assertEquals(originals[1], lost[0]);
    }

    @Test
    void numbersOutsideTheWindowAreNotAnsweredButCounted() {
        allLayersStartThenChoose();
        smallLink.clear();
        send(2, true);
        for (int i = 0; i < SimulcastRewriter.WINDOW; i++) {
            send(2, false);
        }
        int last = Packets.u16(smallLink.rtp.get(smallLink.rtp.size() - 1), 2);
        int forgotten = (last - SimulcastRewriter.WINDOW) & 0xFFFF;
        int oldestKept = (last - SimulcastRewriter.WINDOW + 1) & 0xFFFF;
        int notYetSent = (last + 1) & 0xFFFF;
        smallLink.clear();
        senderLink.clear();
        byte[] nack = Packets.nack(0x77, RECEIVER_SSRC, forgotten, oldestKept, notYetSent);
        small.receiver.onRtcp(nack, 0, nack.length);
        assertEquals(1, smallLink.rtp.size(), "only the one still in the window");
        assertEquals(oldestKept, Packets.u16(smallLink.rtp.get(0), 2));
        assertEquals(2, small.counters.dropped(ForwardingDrop.SIMULCAST_NACK_UNMAPPED));
        assertTrue(rtcp(senderLink, RtcpKind.NACK).isEmpty(), "an unmapped number is not the sender's to answer");
    }

    @Test
    void mappingAndAnsweringASimulcastNackDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        allLayersStartThenChoose();
        send(2, true);
        smallLink.clear();
        for (int i = 0; i < 100; i++) {
            send(2, false);
        }
        int last = Packets.u16(smallLink.rtp.get(smallLink.rtp.size() - 1), 2);
        byte[] nack = Packets.nack(0x77, RECEIVER_SSRC, (last - 3) & 0xFFFF, (last - 1) & 0xFFFF, last);
        SimulcastRewriter rewriter = rewriterOf(small);
        Runnable round = () -> {
            for (int i = 0; i < 1000; i++) {
                small.receiver.onRtcp(nack, 0, nack.length);
                rewriter.origin(last - (i & 63));
            }
        };
        small.attach(new CountingLink()); // a link that records would allocate; the mapping path is what is measured
        for (int i = 0; i < 5; i++) {
            round.run(); // warm up: JIT, counters' cells
        }
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        round.run();
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 16 * 1024, "allocated " + allocated + " bytes for 1000 NACKs of 3 numbers");
        assertEquals(6 * 3000, small.counters.retransmitted());
    }

    @Test
    void aLayersRtxAnsweringTheBridgesNackWaitsInTheCacheForTheReceiversNextNack() {
        sender.medias(List.of(new Media(MediaType.VIDEO, List.of(
                new PayloadType(96, "VP8", 90000, 1, Map.of(), List.of()),
                new PayloadType(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of())), List.of(
                new HeaderExtension(RID_EXT, Simulcast.RTP_STREAM_ID),
                new HeaderExtension(RRID_EXT, Simulcast.REPAIRED_RTP_STREAM_ID)))));
        allLayersStartThenChoose();
        send(2, true);
        byte[] original = packet(2, false, true);
        sender.receiver.onRtp(original.clone(), 0, original.length);
        byte[] firstTime = smallLink.rtp.get(smallLink.rtp.size() - 1);
        int outSeq = Packets.u16(firstTime, 2);
        now.addAndGet(SECOND * 2); // the layer's cache has forgotten it
        senderLink.clear();
        smallLink.clear();
        byte[] nack = Packets.nack(0x77, RECEIVER_SSRC, outSeq);
        small.receiver.onRtcp(nack, 0, nack.length);
        assertEquals(1, rtcp(senderLink, RtcpKind.NACK).size(), "asked of the sender");
        assertTrue(smallLink.rtp.isEmpty());

        byte[] rtx = new byte[original.length + Rtx.OVERHEAD];
        Rtx.wrap(original, 0, original.length, 97, 1, 0x666, rtx, 0);
        rtx[16] = (byte) ((RRID_EXT << 4) | (rtx[16] & 0x0F)); // the browser's RTX names the rid it repairs
        sender.receiver.onRtp(rtx, 0, rtx.length);
        assertEquals(0, sender.counters.dropped(ForwardingDrop.SIMULCAST_RTX));
        assertTrue(smallLink.rtp.isEmpty() && largeLink.rtp.stream().noneMatch(p -> Packets.u16(p, 2) == outSeq),
                "not forwarded as such");

        small.receiver.onRtcp(nack, 0, nack.length);
        assertEquals(1, smallLink.rtp.size(), "the receiver's repeated NACK finds it");
        RtpPacket resent = new RtpPacket();
        RtpPacket first = new RtpPacket();
        byte[] again = smallLink.rtp.get(0);
        assertTrue(resent.wrap(again, 0, again.length) && first.wrap(firstTime, 0, firstTime.length));
        assertEquals(first.sequenceNumber(), resent.sequenceNumber());
        assertEquals(first.timestamp(), resent.timestamp());
        assertEquals(RECEIVER_SSRC, resent.ssrc());
        assertEquals(96, resent.payloadType());
        assertArrayEquals(Arrays.copyOfRange(firstTime, first.payloadOffset(), firstTime.length),
                Arrays.copyOfRange(again, resent.payloadOffset(), again.length), "picture id and payload as the first time");
    }

    @Test
    void aProbesPaddingRidesOnFrameEndsContinuesTheNumberingIsNumberedTransportWideAndStopsAtItsBudget() {
        large.medias(List.of(new Media(MediaType.VIDEO, List.of(), List.of(
                new HeaderExtension(5, io.livedesk.media.sdp.Extmap.TRANSPORT_WIDE_CC)))));
        allLayersStartThenChoose();
        int layer = conference.simulcasts()[0].view(large).rewriter.target();
        send(layer, true); // its keyframe: large now gets that layer
        largeLink.clear();

        SimulcastSource.View view = conference.simulcasts()[0].view(large);
        view.start(2_000_000, now.get()); // 2 Mbps for 400 ms: 100 kB, under the 150 kB cap
        int budget = (int) (2_000_000L * 400 / 8 / 1000);
        int frames = 0;
        for (int i = 0; i < 40; i++) { // 40 frames, 20 ms apart: the probe ends halfway
            now.addAndGet(SECOND / 50);
            byte[] p = packet(layer, false, true);
            p[1] |= (byte) 0x80; // each packet ends its frame
            sender.receiver.onRtp(p, 0, p.length);
            frames++;
        }

        List<RtpPacket> out = rtp(largeLink);
        int padding = 0;
        int paddingBytes = 0;
        int expectedTransportSeq = -1;
        for (int i = 0; i < out.size(); i++) {
            RtpPacket p = out.get(i);
            if (i > 0) {
                assertEquals((out.get(i - 1).sequenceNumber() + 1) & 0xFFFF, p.sequenceNumber(),
                        "padding and media on one gapless sequence");
            }
            if (p.payloadLength() == 0) {
                // This sender's packets carry no transport-wide element (no room to number them); the padding does.
                int at = p.extensionOffset(5);
                int transportSeq = (p.buffer()[at] & 0xFF) << 8 | (p.buffer()[at + 1] & 0xFF);
                assertEquals(expectedTransportSeq < 0 ? 0 : expectedTransportSeq, transportSeq,
                        "numbered on the receiver's own transport-wide sequence");
                expectedTransportSeq = transportSeq + 1;
                assertTrue(p.hasPadding());
                assertEquals(RECEIVER_SSRC, p.ssrc());
                padding++;
                paddingBytes += p.length();
            }
        }
        assertEquals(frames, out.size() - padding, "every media packet still goes");
        assertTrue(padding > 50, "padding sent: " + padding);
        assertTrue(paddingBytes <= budget + 275, "within the probe's budget: " + paddingBytes + " of " + budget);
        assertEquals(padding, large.counters.probePackets());
        RtpPacket last = out.get(out.size() - 1);
        assertTrue(last.payloadLength() > 0, "no padding after the probe's time");
    }
}
