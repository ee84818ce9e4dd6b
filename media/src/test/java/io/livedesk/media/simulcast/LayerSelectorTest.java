package io.livedesk.media.simulcast;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LayerSelectorTest {
    private static final List<LayerSelector.Layer> CHROME = List.of(
            new LayerSelector.Layer(0, 180, 150_000), new LayerSelector.Layer(1, 360, 500_000),
            new LayerSelector.Layer(2, 720, 1_700_000));

    @Test
    void theHighestLayerTheEstimateCarries() {
        assertEquals(2, LayerSelector.choose(CHROME, 2_500_000, 0));
        assertEquals(1, LayerSelector.choose(CHROME, 1_000_000, 0), "1.7 Mbps does not fit 1 Mbps");
        assertEquals(0, LayerSelector.choose(CHROME, 300_000, 0));
        assertEquals(0, LayerSelector.choose(CHROME, 50_000, 0), "the lowest even when nothing fits");
        assertEquals(1, LayerSelector.choose(CHROME, (long) (1_700_000 / LayerSelector.HEADROOM) - 1, 0),
                "headroom for audio and the estimate's error");
    }

    @Test
    void noLargerThanTheViewportShowsIt() {
        assertEquals(0, LayerSelector.choose(CHROME, 10_000_000, 120), "a thumbnail");
        assertEquals(1, LayerSelector.choose(CHROME, 10_000_000, 300), "the first layer at least as tall");
        assertEquals(2, LayerSelector.choose(CHROME, 10_000_000, 1080), "bigger than any: the highest");
        assertEquals(0, LayerSelector.choose(CHROME, 400_000, 1080), "the estimate still rules");
    }

    @Test
    void aSenderThatPausedItsTopLayerOffersTheRest() {
        List<LayerSelector.Layer> two = CHROME.subList(0, 2);
        assertEquals(1, LayerSelector.choose(two, 10_000_000, 0));
        assertThrows(IllegalArgumentException.class, () -> LayerSelector.choose(List.of(), 1, 0));
    }
}
