package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A receiver's check of the one simulcast layer rewritten onto its SSRC. */
class LayerCheckTest {
    private static final SimulcastLayers.Layer F = SimulcastLayers.LAYERS.get(0);
    private static final SimulcastLayers.Layer H = SimulcastLayers.LAYERS.get(1);
    private static final SimulcastLayers.Layer Q = SimulcastLayers.LAYERS.get(2);

    private final LayerCheck check = new LayerCheck(F);

    @Test
    void oneLayerRewrittenTheSameWayThroughout() {
        assertNull(check.accept(Q.ssrc(), 100, 3000, 5000, 90_000, true));
        assertNull(check.accept(Q.ssrc(), 101, 3000, 5001, 90_000, false));
        assertNull(check.accept(Q.ssrc(), 102, 6000, 5002, 93_000, false));
        assertNotNull(check.accept(Q.ssrc(), 103, 6000, 5004, 93_000, false), "sequence offset changed");
        assertSame(Q, check.current());
        assertEquals(3, check.received(Q.index()));
        assertEquals(3, check.offLayer(), "it should end up on f");
    }

    @Test
    void aSwitchComesAtAKeyframeAndTheNumberingGoesOn() {
        assertNull(check.accept(Q.ssrc(), 100, 3000, 5000, 90_000, true));
        assertNotNull(check.accept(H.ssrc(), 900, 60_000, 5001, 93_000, false), "no keyframe: not a switch");
        assertNull(check.accept(H.ssrc(), 900, 60_000, 5001, 93_000, true));
        assertNull(check.accept(H.ssrc(), 901, 60_000, 5002, 93_000, false));
        assertEquals(1, check.switches());

        LayerCheck backwards = new LayerCheck(F);
        assertNull(backwards.accept(Q.ssrc(), 100, 3000, 5000, 90_000, true));
        assertNotNull(backwards.accept(F.ssrc(), 7, 0, 4000, 93_000, true), "sequence numbers went back");
        assertNotNull(backwards.accept(F.ssrc(), 7, 0, 5001, 80_000, true), "timestamp went back");
        assertNull(backwards.accept(F.ssrc(), 7, 0, 5001, 93_000, true));
        assertEquals(0, backwards.offLayer() - 1, "q's one packet was off its layer, f's is not");
    }

    /**
     * As Janus 1.1 rewrites a VP8 simulcast track: on a switch the sequence number goes on by one, the timestamp by the
     * time since the last packet, the picture id by one from the last (janus_vp8_simulcast_descriptor_update), each
     * layer then with offsets of its own.
     */
    @Test
    void janusStyleRewritingWithPictureIdsGoingOnAcrossASwitchPasses() {
        LayerCheck viewer = new LayerCheck(F);
        // q from its keyframe at frame 30 (timestamp 90,000, picture id 30), rewritten to picture id 1.
        assertNull(viewer.accept(Q.ssrc(), 400, 90_000, 1, 90_000, true, 1));
        assertNull(viewer.accept(Q.ssrc(), 401, 90_000, 2, 90_000, false, 1));
        assertNull(viewer.accept(Q.ssrc(), 402, 93_000, 3, 93_000, false, 2));
        // f's keyframe at frame 60: Janus's numbering goes on (3 -> 4, 93,000 -> 93,091, picture id 2 -> 3).
        assertNull(viewer.accept(F.ssrc(), 800, 180_000, 4, 93_091, true, 3));
        assertNull(viewer.accept(F.ssrc(), 801, 180_000, 5, 93_091, false, 3));
        assertNull(viewer.accept(F.ssrc(), 802, 183_000, 6, 96_091, false, 4));
        assertEquals(1, viewer.switches());
        assertSame(F, viewer.current());
        assertEquals(3, viewer.offLayer());
        assertNotNull(viewer.accept(F.ssrc(), 803, 186_000, 7, 99_091, false, 7), "picture id offset changed");
        assertNotNull(viewer.accept(H.ssrc(), 500, 186_000, 8, 99_100, false, 5), "h without a keyframe");
    }

    @Test
    void pictureIdsMayKeepTheSendersOrWrapAt15Bits() {
        LayerCheck kept = new LayerCheck(Q);
        assertNull(kept.accept(Q.ssrc(), 1, 0, 1, 0, true, 0));
        assertNull(kept.accept(Q.ssrc(), 2, 3000, 2, 3000, false, 1));
        LayerCheck wrapping = new LayerCheck(Q);
        int ts = 10 * SimulcastLayers.TICKS_PER_FRAME;
        assertEquals(10, SimulcastLayers.sentPictureId(ts));
        assertNull(wrapping.accept(Q.ssrc(), 1, ts, 1, 0, true, 0x7FFF));
        assertNull(wrapping.accept(Q.ssrc(), 2, ts + 3000, 2, 3000, false, 0), "0x7FFF + 1 wraps to 0");
        assertNull(wrapping.accept(Q.ssrc(), 3, ts + 3000, 3, 3000, false, LayerCheck.NO_PICTURE_ID),
                "without a picture id only the numbering is checked");
        assertEquals(0x7FFF, SimulcastLayers.sentPictureId(0x7FFF * SimulcastLayers.TICKS_PER_FRAME));
        assertEquals(0, SimulcastLayers.sentPictureId(0x8000 * SimulcastLayers.TICKS_PER_FRAME));
        assertEquals(0x7FFF & (int) (0xFFFF_FFFFL / 3000), SimulcastLayers.sentPictureId(-1), "unsigned timestamp");
    }

    @Test
    void flowsAreOnePerLayerWithTheReceiversThatShouldEndOnIt() throws Exception {
        try (Peers peers = new Peers(new org.HdrHistogram.Recorder(3), null)) {
            SrtpPeer sender = peers.create("s");
            SrtpPeer a = peers.create("a");
            SrtpPeer b = peers.create("b");
            java.util.Map<SrtpPeer, SimulcastLayers.Layer> expected = new java.util.LinkedHashMap<>();
            expected.put(a, F);
            expected.put(b, Q);
            java.util.List<Flow> flows = SimulcastLayers.flows(sender, expected);
            assertEquals(3, flows.size(), "h is sent though nobody should end on it");
            assertEquals(java.util.List.of(a), flows.get(0).receivers());
            assertEquals(java.util.List.of(), flows.get(1).receivers());
            assertEquals(java.util.List.of(b), flows.get(2).receivers());
            assertSame(H, flows.get(1).layer());
            assertEquals(H.ssrc(), flows.get(1).ssrc());
        }
    }

    @Test
    void aStreamThatIsNoLayerIsRefused() {
        assertNotNull(check.accept(0x1234, 1, 1, 1, 1, true));
        assertNull(check.current());
    }

    @Test
    void viewersCappedAt180EndOnQOthersOnF() {
        assertSame(Q, SimulcastLayers.expectedFor(SimulcastLayers.CAPPED_HEIGHT));
        assertSame(Q, SimulcastLayers.expectedFor(90));
        assertSame(H, SimulcastLayers.expectedFor(400));
        assertSame(F, SimulcastLayers.expectedFor(0));
        Scenario live = Scenario.of("live", 4, 0, 0, true);
        assertEquals(2, live.conferences().get(0).members().stream()
                .filter(m -> m.maxVideoHeight() == SimulcastLayers.CAPPED_HEIGHT).count());
    }
}
