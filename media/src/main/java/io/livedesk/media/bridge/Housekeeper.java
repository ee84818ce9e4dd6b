package io.livedesk.media.bridge;

import java.util.Collection;

/**
 * The bridge's periodic work, run on its one housekeeping thread (or driven directly by tests with
 * their own clock): keyframe requests for endpoints that just became secure and those a window held
 * back ({@link KeyframeRequester}), expiry of endpoints
 * whose ICE failed or that went quiet, per-endpoint bitrates, each receiver's simulcast layer, each sender's
 * transport-wide feedback, the bridge's
 * packet rate (stress),
 * and REMB to senders every {@code rembInterval}.
 */
final class Housekeeper {
    /** What to do with an endpoint found dead; the bridge removes and closes it. */
    interface Expirer {
        void expire(Conference conference, Endpoint endpoint, String reason);

        void expireEmpty(Conference conference);
    }

    private final long inactivityNanos;
    private final long rembIntervalNanos;
    private final long capacityPacketsPerSecond;
    private final BandwidthEstimator estimator;
    private final Expirer expirer;
    private final byte[] scratch = new byte[2048];

    private long lastRembNanos;
    private long lastRateNanos;
    private long lastPackets = -1;
    private volatile double stressLevel;
    private volatile long packetsPerSecond;

    Housekeeper(BridgeConfig config, BandwidthEstimator estimator, Expirer expirer, long nowNanos) {
        this.inactivityNanos = config.inactivityTimeout().toNanos();
        this.rembIntervalNanos = config.rembInterval().toNanos();
        this.capacityPacketsPerSecond = config.capacityPacketsPerSecond();
        this.estimator = estimator;
        this.expirer = expirer;
        this.lastRembNanos = nowNanos;
        this.lastRateNanos = nowNanos;
    }

    /**
     * One round. {@code totalPackets} is every packet the bridge received and sent so far, including
     * those of endpoints already expired.
     */
    synchronized void tick(Collection<Conference> conferences, long totalPackets, long nowNanos) {
        for (Conference conference : conferences) {
            for (Endpoint endpoint : conference.endpoints()) {
                EndpointLink link = endpoint.link();
                if (link == null) {
                    continue;
                }
                if (link.isSecure() && endpoint.markSecureHandled()) {
                    conference.requestKeyframesFor(endpoint, scratch);
                }
                if (endpoint.relay) {
                    // A relay stays until signaling expires it: it may be quiet (no sender behind it), and its ICE
                    // failure is reported (mediaStatus: stopped) for signaling to replace it, not hidden by expiry.
                    endpoint.updateRates(nowNanos);
                } else if (link.isFailed()) {
                    expirer.expire(conference, endpoint, "ICE failed");
                } else if (nowNanos - endpoint.lastActivityNanos() > inactivityNanos) {
                    expirer.expire(conference, endpoint, "no packets for " + inactivityNanos / 1_000_000 + " ms");
                } else {
                    endpoint.updateRates(nowNanos);
                }
            }
            conference.chooseLayers(nowNanos);
            conference.sendTransportFeedback(scratch);
            conference.flushKeyframeRequests(nowNanos, scratch);
            if (conference.size() == 0 && nowNanos - conference.createdNanos > inactivityNanos) {
                expirer.expireEmpty(conference);
            }
        }
        if (nowNanos - lastRembNanos >= rembIntervalNanos) {
            lastRembNanos = nowNanos;
            for (Conference conference : conferences) {
                estimator.run(conference, nowNanos, scratch);
            }
        }
        long elapsed = nowNanos - lastRateNanos;
        if (elapsed >= 1_000_000_000L) {
            if (lastPackets >= 0) {
                packetsPerSecond = (totalPackets - lastPackets) * 1_000_000_000L / elapsed;
                stressLevel = (double) packetsPerSecond / capacityPacketsPerSecond;
            }
            lastPackets = totalPackets;
            lastRateNanos = nowNanos;
        }
    }

    /** Packets in + out per second over the last second, relative to the configured capacity. */
    double stressLevel() {
        return stressLevel;
    }

    long packetsPerSecond() {
        return packetsPerSecond;
    }
}
