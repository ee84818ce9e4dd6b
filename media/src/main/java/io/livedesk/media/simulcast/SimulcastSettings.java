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
 */
public record SimulcastSettings(long initialEstimateBps, Duration upgradeStep, Duration congestionHold,
                                Duration maxCongestionHold) {
    public SimulcastSettings {
        if (initialEstimateBps <= 0) {
            throw new IllegalArgumentException("initialEstimateBps must be positive");
        }
        for (Duration d : new Duration[]{upgradeStep, congestionHold, maxCongestionHold}) {
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
