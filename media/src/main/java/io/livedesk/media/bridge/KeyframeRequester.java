package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpFeedbackWriter;

/**
 * Sends keyframe requests (PLI, or FIR when the receiver asked with FIR) to the endpoint that owns a
 * video stream, from the bridge's own feedback SSRC, coalesced per stream: at most one request per
 * stream per window ({@link BridgeConfig#keyframeMinInterval()}). A keyframe is the largest thing a
 * sender sends and every receiver of the stream gets it, so one keyframe must answer everyone who needs
 * it: a receiver that lost sync sends a PLI every few tens of milliseconds, and a hundred viewers joining
 * a livestream at once each need a keyframe when their transport connects.
 *
 * <p>Leading and trailing edge: the first request of a window goes out at once; any further request
 * within it is remembered on the stream and one request goes out when the window has passed
 * ({@link #flushDeferred}, from the housekeeper), so a receiver that asked just after a keyframe was
 * requested still gets one produced after it asked, at most a window plus a housekeeping tick later.
 * However many ask, two requests to one stream are always at least a window apart.
 */
final class KeyframeRequester {
    /** Kinds of request, ordered so that the stronger one wins when several are deferred. */
    static final int NONE = 0;
    static final int PLI = 1;
    static final int FIR = 2;

    private final int feedbackSsrc;
    private final long minIntervalNanos;

    KeyframeRequester(int feedbackSsrc, long minIntervalNanos) {
        this.feedbackSsrc = feedbackSsrc;
        this.minIntervalNanos = minIntervalNanos;
    }

    /** @return true if a PLI went out now (false: deferred to the window's end, RTX stream or owner not connected) */
    boolean requestPli(SenderStream stream, long nowNanos, byte[] scratch) {
        return request(stream, PLI, nowNanos, scratch);
    }

    /** @return true if a FIR went out now */
    boolean requestFir(SenderStream stream, long nowNanos, byte[] scratch) {
        return request(stream, FIR, nowNanos, scratch);
    }

    /**
     * Sends the request deferred on {@code stream}, if there is one and its window has passed.
     *
     * @return true if a request went out
     */
    boolean flushDeferred(SenderStream stream, long nowNanos, byte[] scratch) {
        if (!stream.hasDeferredKeyframeRequest() || !stream.claimKeyframeRequest(nowNanos, minIntervalNanos)) {
            return false;
        }
        int kind = stream.takeDeferredKeyframeRequest();
        if (kind == NONE) {
            // A request went out in between and took it along.
            stream.releaseKeyframeRequest(nowNanos);
            return false;
        }
        return send(stream, kind, nowNanos, scratch);
    }

    private boolean request(SenderStream stream, int kind, long nowNanos, byte[] scratch) {
        if (!stream.primary) {
            return false;
        }
        if (!stream.claimKeyframeRequest(nowNanos, minIntervalNanos)) {
            stream.deferKeyframeRequest(kind);
            return false;
        }
        // This request answers any deferred one too.
        return send(stream, Math.max(kind, stream.takeDeferredKeyframeRequest()), nowNanos, scratch);
    }

    private boolean send(SenderStream stream, int kind, long nowNanos, byte[] scratch) {
        int len = kind == FIR
                ? RtcpFeedbackWriter.writeFir(scratch, 0, feedbackSsrc, stream.ssrc, stream.nextFirSequence())
                : RtcpFeedbackWriter.writePli(scratch, 0, feedbackSsrc, stream.ssrc);
        if (stream.owner.sendRtcp(scratch, 0, len)) {
            stream.owner.counters.keyframeRequestToSender();
            return true;
        }
        // Not sent (owner not connected yet; its encoder starts with a keyframe anyway): do not hold back the next request.
        stream.releaseKeyframeRequest(nowNanos);
        return false;
    }
}
