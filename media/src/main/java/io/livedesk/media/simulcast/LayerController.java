package io.livedesk.media.simulcast;

import java.util.List;

/**
 * Which layer of one simulcast sender one receiver should get, decided again every housekeeping round. The size the
 * receiver shows the video at caps it ({@link LayerSelector}); under that cap it starts where its estimate (or the
 * initial estimate) allows and moves up one layer at a time while it shows no congestion. A receiver's REMB cannot
 * show room above what it receives (Chromium's estimate stays within about 1.5 times its incoming rate), so it is
 * read only for congestion: an estimate that fell and no longer carries the layer being forwarded, or a fifth of
 * the packets lost. Then it moves down to what the estimate carries and waits a hold before trying higher again; the
 * hold doubles when congestion comes back within one hold's time after the last one ended. Where the estimate is
 * the bridge's own (transport-cc, with a {@link Probing}) and does not carry the next layer, the move up waits for
 * a probe: padding at about the next layer's extra bitrate for the probe duration, then the move only if the
 * estimator saw no overuse meanwhile (else a hold, as for congestion). Not thread-safe: the housekeeper alone
 * calls it.
 */
public final class LayerController {
    /** Share of packets lost (as the receiver reports it) that counts as congestion by itself. */
    static final double LOSS_CONGESTION = 0.2;
    /** A REMB this much below the one before it is falling: the receiver's estimator saw its queue grow. */
    static final double REMB_FALL = 0.95;
    /** After a probe's padding ends, how long its last feedback may take to come back. */
    static final long PROBE_FEEDBACK_NANOS = 200_000_000L;
    /** Padding below this is not worth a probe. */
    static final long MIN_PROBE_BPS = 50_000;

    private final SimulcastSettings settings;
    private int target = -1;
    private long lastChangeNanos;
    private long holdUntilNanos;
    private long holdNanos;
    private long lastRembBps;
    /** While a probe runs: when its result is in (0 when none), and the overuse count it started at. */
    private long probeDoneNanos;
    private long probeOveruses;
    private long probes;
    /** Whether this round's decision went through a probe (else a pending one is forgotten). */
    private boolean probeKept;

    public LayerController(SimulcastSettings settings) {
        this.settings = settings;
    }

    /** The layer index last decided on, or -1. */
    public int target() {
        return target;
    }

    /**
     * @param layers       the sender's layers that are sending now, lowest first (heights known); may be empty
     * @param current      the layer the receiver gets now (-1 before its first keyframe)
     * @param rembBps      the receiver's fresh estimate, or 0 when it has none
     * @param fractionLost the receiver's last reported loss, 0-1, or negative when unknown
     * @param maxHeight    the height it shows the video at, or 0 or less when it did not say
     * @return the layer index to forward from now on, or -1 when there is none to forward
     */
    public int update(List<LayerSelector.Layer> layers, int current, long rembBps, double fractionLost, int maxHeight,
                      long nowNanos) {
        return update(layers, current, rembBps, fractionLost, maxHeight, nowNanos, null);
    }

    /**
     * As {@link #update(List, int, long, double, int, long)}, for a receiver whose estimate is the bridge's own.
     *
     * @param probing how to probe its path before moving it up, or null when it cannot be (its estimate is REMB)
     */
    public int update(List<LayerSelector.Layer> layers, int current, long rembBps, double fractionLost, int maxHeight,
                      long nowNanos, Probing probing) {
        probeKept = false;
        int decided = decide(layers, current, rembBps, fractionLost, maxHeight, nowNanos, probing);
        if (!probeKept) {
            probeDoneNanos = 0; // a probe is about one move up from one layer: any other decision forgets it
        }
        return decided;
    }

    /** Probes started so far. */
    public long probes() {
        return probes;
    }

    private int decide(List<LayerSelector.Layer> layers, int current, long rembBps, double fractionLost,
                       int maxHeight, long nowNanos, Probing probing) {
        long lastRemb = lastRembBps;
        lastRembBps = rembBps;
        if (layers.isEmpty()) {
            target = -1;
            return target;
        }
        int cap = position(layers, LayerSelector.choose(layers, Long.MAX_VALUE / 2, maxHeight));
        int at = position(layers, target);
        if (at < 0) { // first decision, or the layer stopped sending
            return change(layers.get(Math.min(cap, position(layers,
                    LayerSelector.choose(layers, rembBps > 0 ? rembBps : settings.initialEstimateBps(), maxHeight))))
                    .index(), nowNanos);
        }
        LayerSelector.Layer forwarded = layers.get(at);
        boolean estimateFell = rembBps > 0 && lastRemb > 0 && rembBps < lastRemb * REMB_FALL
                && rembBps * LayerSelector.HEADROOM < forwarded.bitrateBps();
        boolean lossy = fractionLost >= LOSS_CONGESTION;
        if ((estimateFell || lossy) && at > 0) {
            // What the estimate carries, or, for loss alone, the next layer down.
            int down = estimateFell ? Math.min(at - 1, position(layers, LayerSelector.choose(layers, rembBps, maxHeight)))
                    : at - 1;
            boolean recurring = nowNanos < holdUntilNanos + holdNanos; // soon after the last hold ended
            holdNanos = recurring ? Math.min(holdNanos * 2, settings.maxCongestionHold().toNanos())
                    : settings.congestionHold().toNanos();
            holdUntilNanos = nowNanos + holdNanos;
            return change(layers.get(down).index(), nowNanos);
        }
        if (at > cap) {
            return change(layers.get(cap).index(), nowNanos);
        }
        if (at < cap && current == target && nowNanos >= holdUntilNanos
                && nowNanos - lastChangeNanos >= settings.upgradeStep().toNanos()) {
            LayerSelector.Layer next = layers.get(at + 1);
            if (probing == null || rembBps <= 0 || rembBps * LayerSelector.HEADROOM >= next.bitrateBps()) {
                return change(next.index(), nowNanos);
            }
            return probeBefore(next, forwarded, probing, nowNanos);
        }
        return target;
    }

    /** Starts a probe for {@code next}, waits for its result, then moves up or holds. */
    private int probeBefore(LayerSelector.Layer next, LayerSelector.Layer forwarded, Probing probing, long nowNanos) {
        probeKept = true;
        if (probeDoneNanos == 0) {
            probing.start(Math.max(next.bitrateBps() - forwarded.bitrateBps(), MIN_PROBE_BPS), nowNanos);
            probes++;
            probeOveruses = probing.overuses();
            probeDoneNanos = nowNanos + settings.probeDuration().toNanos() + PROBE_FEEDBACK_NANOS;
            return target;
        }
        boolean overused = probing.overuses() > probeOveruses;
        if (!overused && nowNanos < probeDoneNanos) {
            return target;
        }
        probeDoneNanos = 0;
        if (overused) {
            holdNanos = settings.congestionHold().toNanos();
            holdUntilNanos = nowNanos + holdNanos;
            return target;
        }
        return change(next.index(), nowNanos);
    }

    private int change(int layer, long nowNanos) {
        if (layer != target) {
            target = layer;
            lastChangeNanos = nowNanos;
        }
        return target;
    }

    private static int position(List<LayerSelector.Layer> layers, int index) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).index() == index) {
                return i;
            }
        }
        return -1;
    }
}
