package io.livedesk.media.simulcast;

import java.util.List;

/**
 * Which simulcast layer a receiver gets: the highest its bandwidth estimate carries, but none larger than the
 * size it shows the video at (a 180-pixel tile gains nothing from 720p). When even the lowest does not fit the
 * estimate it still gets the lowest: a thin picture beats none.
 */
public final class LayerSelector {
    /** Of the estimate, the share the chosen layer's bitrate may use: room for audio and for the estimate's error. */
    static final double HEADROOM = 0.85;

    /**
     * @param index       the layer's index in the sender's encodings, lowest first
     * @param height      pixels
     * @param bitrateBps  what it is sending now (measured), or its configured maximum before any is measured
     */
    public record Layer(int index, int height, long bitrateBps) {
    }

    private LayerSelector() {
    }

    /**
     * @param layers         the sender's active layers, lowest first; not empty
     * @param estimateBps    the receiver's bandwidth estimate
     * @param viewportHeight the height the receiver shows the video at; 0 or less when it did not say
     * @return the index of the chosen layer
     */
    public static int choose(List<Layer> layers, long estimateBps, int viewportHeight) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layers");
        }
        int cap = layers.size() - 1;
        if (viewportHeight > 0) {
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).height() >= viewportHeight) {
                    cap = i;
                    break;
                }
            }
        }
        for (int i = cap; i >= 0; i--) {
            if (layers.get(i).bitrateBps() <= estimateBps * HEADROOM) {
                return layers.get(i).index();
            }
        }
        return layers.get(0).index();
    }
}
