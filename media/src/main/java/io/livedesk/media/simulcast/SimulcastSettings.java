package io.livedesk.media.simulcast;

import java.time.Duration;

/**
 * How the bridge moves a receiver between a simulcast sender's layers ({@link LayerController}).
 *
 * @param initialEstimateBps what a receiver is assumed to take before it reported an estimate (REMB): it starts at
 *                           the highest layer this carries and steps up from there
 * @param upgradeStep        a receiver that shows no congestion moves up one layer at most this often, until the
 *                           size it shows the video at caps it
 * @param congestionHold     after moving down for congestion, how long before trying a higher layer again; doubled
 *                           when congestion comes back within a hold's time after the last hold ended, up to
 *                           {@code maxCongestionHold}
 * @param maxCongestionHold  the longest hold
 * @param probeDuration      before moving a receiver whose estimate is the bridge's own (transport-cc) up to a layer
 *                           the estimate does not carry, the bridge sends it padding at about the difference for this
 *                           long and moves up only if that showed no overuse
 * @param probeMaxBytes      the most padding one probe sends, whatever the layers' bitrates
 */
public record SimulcastSettings(long initialEstimateBps, Duration upgradeStep, Duration congestionHold,
                                Duration maxCongestionHold, Duration probeDuration, long probeMaxBytes) {
    public static final Duration DEFAULT_PROBE_DURATION = Duration.ofMillis(400);
    public static final long DEFAULT_PROBE_MAX_BYTES = 150_000;

    /** With the default probe. */
    public SimulcastSettings(long initialEstimateBps, Duration upgradeStep, Duration congestionHold,
                             Duration maxCongestionHold) {
        this(initialEstimateBps, upgradeStep, congestionHold, maxCongestionHold, DEFAULT_PROBE_DURATION,
                DEFAULT_PROBE_MAX_BYTES);
    }

    public SimulcastSettings {
        if (initialEstimateBps <= 0) {
            throw new IllegalArgumentException("initialEstimateBps must be positive");
        }
        if (probeMaxBytes <= 0) {
            throw new IllegalArgumentException("probeMaxBytes must be positive");
        }
        for (Duration d : new Duration[]{upgradeStep, congestionHold, maxCongestionHold, probeDuration}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("simulcast durations must be positive");
            }
        }
        if (maxCongestionHold.compareTo(congestionHold) < 0) {
            throw new IllegalArgumentException("maxCongestionHold must be at least congestionHold");
        }
    }

    public static SimulcastSettings defaults() {
        return new SimulcastSettings(1_000_000, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(60));
    }
}
