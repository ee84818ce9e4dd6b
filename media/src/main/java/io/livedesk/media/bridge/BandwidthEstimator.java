package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpFeedbackWriter;

/**
 * Tells each video sender how much it may send, with a REMB from the bridge's feedback SSRC listing
 * its video SSRCs. The estimate is the lowest recent receiver estimate among the conference's other endpoints
 * (each receiver's REMB, its own estimate of its downlink from the bridge, or for a receiver that sends transport-cc
 * feedback the bridge's send-side estimate of that downlink: the sender must not send more
 * than the weakest receiver takes, since a stream without simulcast has no lower layer to give it), clamped to
 * [floor, ceiling]; with no receiver estimate, the ceiling, so Chromium ramps up from its start
 * bitrate instead of staying there. A simulcast sender always gets the ceiling: its weakest receiver takes a
 * lower layer instead of holding everyone down. Without transport-cc negotiated, Chromium's sender follows
 * REMB (plus its own loss-based control).
 */
final class BandwidthEstimator {
    /** A receiver's REMB older than this no longer counts. */
    static final long REMB_FRESH_NANOS = 5_000_000_000L;

    private final int feedbackSsrc;
    private final long ceilingBps;
    private final long floorBps;

    BandwidthEstimator(int feedbackSsrc, long ceilingBps, long floorBps) {
        this.feedbackSsrc = feedbackSsrc;
        this.ceilingBps = ceilingBps;
        this.floorBps = floorBps;
    }

    long estimateFor(Endpoint sender, Endpoint[] endpoints, long nowNanos) {
        long estimate = ceilingBps;
        if (!sender.simulcasts().isEmpty()) {
            return estimate; // each receiver gets the layer it takes: the sender keeps sending them all
        }
        for (Endpoint receiver : endpoints) {
            long remb = receiver == sender ? 0 : receiver.receiveEstimateBps(nowNanos);
            if (remb > 0) {
                estimate = Math.min(estimate, remb);
            }
        }
        return Math.max(estimate, floorBps);
    }

    /** Sends every connected video sender of the conference its estimate. */
    void run(Conference conference, long nowNanos, byte[] scratch) {
        Endpoint[] endpoints = conference.endpoints();
        for (Endpoint sender : endpoints) {
            int[] ssrcs = sender.videoSsrcs();
            if (ssrcs.length == 0 || !sender.isSecure()) {
                continue;
            }
            long estimate = estimateFor(sender, endpoints, nowNanos);
            int len = RtcpFeedbackWriter.writeRemb(scratch, 0, feedbackSsrc, estimate, ssrcs, 0,
                    Math.min(ssrcs.length, 255));
            if (sender.sendRtcp(scratch, 0, len)) {
                sender.estimateSent(estimate);
                sender.counters.rembToSender();
            }
        }
    }
}
