package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpFeedbackWriter;

/**
 * Sends keyframe requests (PLI, or FIR when the receiver asked with FIR) to the endpoint that owns a
 * video stream, from the bridge's own feedback SSRC, at most once per stream per configured
 * interval: a receiver that lost sync sends a PLI every few tens of milliseconds, and one keyframe
 * answers them all.
 */
final class KeyframeRequester {
    private final int feedbackSsrc;
    private final long minIntervalNanos;

    KeyframeRequester(int feedbackSsrc, long minIntervalNanos) {
        this.feedbackSsrc = feedbackSsrc;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** @return true if a PLI went out (false: throttled, RTX stream or owner not connected) */
    boolean requestPli(SenderStream stream, long nowNanos, byte[] scratch) {
        if (!stream.primary || !stream.claimKeyframeRequest(nowNanos, minIntervalNanos)) {
            return false;
        }
        int len = RtcpFeedbackWriter.writePli(scratch, 0, feedbackSsrc, stream.ssrc);
        return sent(stream, nowNanos, scratch, len);
    }

    /** @return true if a FIR went out */
    boolean requestFir(SenderStream stream, long nowNanos, byte[] scratch) {
        if (!stream.primary || !stream.claimKeyframeRequest(nowNanos, minIntervalNanos)) {
            return false;
        }
        int len = RtcpFeedbackWriter.writeFir(scratch, 0, feedbackSsrc, stream.ssrc, stream.nextFirSequence());
        return sent(stream, nowNanos, scratch, len);
    }

    private static boolean sent(SenderStream stream, long nowNanos, byte[] scratch, int len) {
        if (stream.owner.sendRtcp(scratch, 0, len)) {
            stream.owner.counters.keyframeRequestToSender();
            return true;
        }
        // Not sent (owner not connected yet): do not hold back the next request.
        stream.releaseKeyframeRequest(nowNanos);
        return false;
    }
}
