package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.TransportCcFeedback;

/**
 * The bridge's transport-wide congestion control feedback to one sender (draft-holmer-rmcat-transport-wide-cc-
 * extensions-01): the arrival time of every packet that carried a transport-wide sequence number, reported back
 * each housekeeping round, so the sender's own estimator (Chromium's send-side estimation) sees the path to the
 * bridge as it is instead of guessing from REMB alone.
 *
 * <p>The sequence number is the sender's numbering of its path to the bridge: it means nothing on a receiver's path,
 * so each receiver's copy gets the receiver's own number in its place, or padding ({@link TransportWideStamp}).
 * {@link #arrived} runs on the sender's receive thread, {@link #take} on the housekeeper.
 */
final class TransportWideFeedback {
    private final TransportCcFeedback.Builder builder = new TransportCcFeedback.Builder();
    private int feedbackCount;

    /** Records the packet's transport-wide sequence number, if it carries one under {@code extensionId}. */
    synchronized void arrived(RtpPacket rtp, int extensionId, long nowNanos) {
        int at = rtp.extensionOffset(extensionId);
        if (at < 0 || rtp.extensionLength(at) != 2) {
            return;
        }
        byte[] buf = rtp.buffer();
        int seq = (buf[at] & 0xFF) << 8 | (buf[at + 1] & 0xFF);
        long micros = nowNanos / 1000;
        if (!builder.add(seq, micros)) {
            // Only if feedback stopped going out for seconds: start a new message rather than lose this one.
            builder.clear();
            builder.add(seq, micros);
        }
    }

    /** The feedback for everything that arrived since the last call, or null if nothing did. */
    synchronized TransportCcFeedback take(int bridgeSsrc, int mediaSsrc) {
        if (builder.isEmpty()) {
            return null;
        }
        TransportCcFeedback feedback = builder.build(bridgeSsrc, mediaSsrc, feedbackCount++);
        builder.clear();
        return feedback;
    }
}
