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
