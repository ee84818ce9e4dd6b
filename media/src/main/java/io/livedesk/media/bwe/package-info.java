/**
 * Send-side bandwidth estimation toward one receiver (issue 12, part 3), in the spirit of Google Congestion Control
 * (draft-ietf-rmcat-gcc-02, libwebrtc's send-side path): the bridge numbers what it sends a receiver on one
 * transport-wide sequence ({@link io.livedesk.media.bwe.SentPackets}), the receiver reports each number's arrival
 * (transport-cc feedback), and {@link io.livedesk.media.bwe.SendSideEstimator} turns send and arrival times into an
 * estimate: a delay-based part ({@link io.livedesk.media.bwe.TrendlineDetector}, rate control by AIMD) under a
 * loss-based cap, bounded by what was acknowledged ({@link io.livedesk.media.bwe.AcknowledgedBitrate}).
 *
 * <p>Plain classes without threads or clocks: the time is always passed in, so tests drive them with synthetic
 * feedback.
 */
package io.livedesk.media.bwe;
