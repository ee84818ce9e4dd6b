package io.livedesk.media.bridge;

import io.livedesk.media.bwe.SendSideEstimator;
import io.livedesk.media.bwe.SentPackets;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.TransportCcFeedback;

/**
 * A receiver's transport-cc feedback about what the bridge sent it: each reported number is matched with its send
 * time and size ({@link Endpoint#sentPackets}) and handed, with its arrival time, to the receiver's
 * {@link SendSideEstimator}. Numbers the bridge does not know (too old, reported twice) are skipped. Runs on the
 * receiver's receive thread, the only one that feeds its estimator. Parsing the message allocates it, once per
 * feedback (every 50-100 ms from Chromium), not per packet.
 */
final class SendSideFeedback {
    private SendSideFeedback() {
    }

    static void read(Endpoint from, RtcpPacket packet, long nowNanos, SentPackets.Sent sent) {
        if (from.transportCcExtension() == 0 || from.sendSide == null) {
            return; // nothing was numbered for it: the message cannot be about the bridge's packets
        }
        TransportCcFeedback feedback = TransportCcFeedback.parse(packet.buffer(), packet.offset(), packet.length());
        if (feedback == null) {
            from.counters.drop(ForwardingDrop.MALFORMED_RTCP);
            return;
        }
        SendSideEstimator estimator = from.sendSide;
        long arrivalMicros = feedback.referenceTimeMicros();
        for (int i = 0, n = feedback.size(); i < n; i++) {
            boolean received = feedback.received(i);
            if (received) {
                arrivalMicros += feedback.arrivalDeltaMicros(i);
            }
            if (!from.sentPackets.take(feedback.sequence(i), sent)) {
                continue;
            }
            if (received) {
                estimator.received(sent.sentNanos, arrivalMicros * 1000L, sent.bytes);
            } else {
                estimator.lost(sent.sentNanos, sent.bytes);
            }
        }
        estimator.feedbackDone(nowNanos);
        from.sendSideFeedback(nowNanos);
    }
}
