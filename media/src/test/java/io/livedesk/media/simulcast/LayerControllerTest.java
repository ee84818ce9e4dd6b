package io.livedesk.media.simulcast;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Moving one receiver between three layers: the size it shows video at, stepping up, congestion and its hold. */
class LayerControllerTest {
    private static final long S = 1_000_000_000L;
    private static final List<LayerSelector.Layer> LAYERS = List.of(new LayerSelector.Layer(2, 180, 150_000),
            new LayerSelector.Layer(1, 360, 500_000), new LayerSelector.Layer(0, 720, 1_500_000));
    private static final SimulcastSettings SETTINGS = new SimulcastSettings(1_000_000, Duration.ofSeconds(1),
            Duration.ofSeconds(4), Duration.ofSeconds(16));

    @Test
    void startsWhereTheInitialEstimateOrTheReportedOneAllowsWithinTheSizeShown() {
        assertEquals(1, new LayerController(SETTINGS).update(LAYERS, -1, 0, -1, 0, S), "1 Mbps carries 360p, not 720p");
        assertEquals(0, new LayerController(SETTINGS).update(LAYERS, -1, 3_000_000, -1, 0, S));
        assertEquals(2, new LayerController(SETTINGS).update(LAYERS, -1, 3_000_000, -1, 90, S), "a 90 px box");
        assertEquals(-1, new LayerController(SETTINGS).update(List.of(), -1, 0, -1, 0, S), "nothing sends");
    }

    @Test
    void stepsUpOneLayerPerStepOnceTheLastSwitchHappenedUpToTheSizeShown() {
        LayerController c = new LayerController(SETTINGS);
        assertEquals(2, c.update(LAYERS, -1, 200_000, -1, 0, S));
        assertEquals(2, c.update(LAYERS, 2, 200_000, -1, 0, S + S / 2), "not before a step");
        assertEquals(1, c.update(LAYERS, 2, 200_000, -1, 0, 2 * S), "REMB cannot show room above what it gets");
        assertEquals(1, c.update(LAYERS, 2, 220_000, -1, 0, 4 * S), "not until the receiver is on the last target");
        assertEquals(0, c.update(LAYERS, 1, 300_000, -1, 0, 5 * S));
        assertEquals(0, c.update(LAYERS, 0, 300_000, -1, 0, 9 * S), "the top");
    }

    @Test
    void theSizeShownCapsAtOnce() {
        LayerController c = new LayerController(SETTINGS);
        assertEquals(0, c.update(LAYERS, -1, 3_000_000, -1, 0, S));
        assertEquals(2, c.update(LAYERS, 0, 3_000_000, -1, 150, S + 1), "shrunk to a thumbnail: down now");
        assertEquals(2, c.update(LAYERS, 2, 3_000_000, -1, 150, 5 * S), "and stays while it is small");
    }

    @Test
    void aFallingEstimateBelowTheLayerMovesDownAndHoldsLongerEachTimeItRecurs() {
        LayerController c = new LayerController(SETTINGS);
        assertEquals(0, c.update(LAYERS, -1, 3_000_000, -1, 0, S));
        assertEquals(0, c.update(LAYERS, 0, 2_000_000, -1, 0, 2 * S), "fell, but still carries 720p");
        assertEquals(1, c.update(LAYERS, 0, 700_000, -1, 0, 3 * S), "fell below it: to what 700 kbps carries");
        assertEquals(1, c.update(LAYERS, 1, 700_000, -1, 0, 6 * S), "held for 4 s");
        assertEquals(0, c.update(LAYERS, 1, 700_000, -1, 0, 7 * S), "then tried again");
        assertEquals(1, c.update(LAYERS, 0, 600_000, -1, 0, 8 * S), "congested again soon after the hold");
        assertEquals(1, c.update(LAYERS, 1, 600_000, -1, 0, 15 * S), "the hold doubled to 8 s");
        assertEquals(0, c.update(LAYERS, 1, 600_000, -1, 0, 16 * S));
    }

    @Test
    void heavyLossMovesDownOneLayer() {
        LayerController c = new LayerController(SETTINGS);
        assertEquals(0, c.update(LAYERS, -1, 3_000_000, -1, 0, 1));
        assertEquals(0, c.update(LAYERS, 0, 0, 0.05, 0, S), "a little loss is the network's, not congestion");
        assertEquals(1, c.update(LAYERS, 0, 0, 0.3, 0, 2 * S));
    }

    /** Stands in for the bridge's probe: records what was asked, and overuse as the test says. */
    private static final class FakeProbing implements Probing {
        final List<Long> started = new java.util.ArrayList<>();
        long overuses;

        @Override
        public void start(long paddingBps, long nowNanos) {
            started.add(paddingBps);
        }

        @Override
        public long overuses() {
            return overuses;
        }
    }

    @Test
    void aSendSideEstimateThatDoesNotCarryTheNextLayerIsProbedFirstAndMovesUpOnlyWithoutOveruse() {
        LayerController c = new LayerController(SETTINGS);
        FakeProbing probing = new FakeProbing();
        assertEquals(2, c.update(LAYERS, -1, 200_000, -1, 0, S, probing));
        assertEquals(2, c.update(LAYERS, 2, 200_000, -1, 0, 2 * S, probing), "probes instead of moving");
        assertEquals(List.of(350_000L), probing.started, "padding at the next layer's extra bitrate");
        assertEquals(2, c.update(LAYERS, 2, 200_000, -1, 0, 2 * S + S / 5, probing), "while the probe runs");
        assertEquals(1, c.update(LAYERS, 2, 200_000, -1, 0, 2 * S + 7 * S / 10, probing), "no overuse: up");
        assertEquals(1, c.probes());

        // The next step up is probed too, and this probe shows overuse: no move, a hold, then a new probe.
        assertEquals(1, c.update(LAYERS, 1, 300_000, -1, 0, 4 * S, probing));
        assertEquals(2, probing.started.size());
        probing.overuses++;
        assertEquals(1, c.update(LAYERS, 1, 300_000, -1, 0, 4 * S + S / 10, probing), "overuse ends it at once");
        assertEquals(1, c.update(LAYERS, 1, 300_000, -1, 0, 7 * S, probing), "the hold");
        assertEquals(2, probing.started.size());
        assertEquals(1, c.update(LAYERS, 1, 300_000, -1, 0, 8 * S + S / 5, probing), "after the hold: probe again");
        assertEquals(3, probing.started.size());
        assertEquals(0, c.update(LAYERS, 1, 300_000, -1, 0, 8 * S + 9 * S / 10, probing));
    }

    @Test
    void anEstimateThatCarriesTheNextLayerMovesWithoutAProbe() {
        LayerController c = new LayerController(SETTINGS);
        FakeProbing probing = new FakeProbing();
        assertEquals(1, c.update(LAYERS, -1, 1_000_000, -1, 0, S, probing));
        assertEquals(1, c.update(LAYERS, 1, 1_000_000, -1, 0, 2 * S, probing), "1 Mbps x 0.85 < 1.5 Mbps: probe");
        assertEquals(1, probing.started.size());
        LayerController rich = new LayerController(SETTINGS);
        assertEquals(0, rich.update(LAYERS, -1, 3_000_000, -1, 0, S, probing), "3 Mbps carries it: no probe");
        assertEquals(1, probing.started.size());
    }
}
