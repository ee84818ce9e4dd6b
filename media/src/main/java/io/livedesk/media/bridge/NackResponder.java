package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpFeedbackWriter;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.Rtx;

/**
 * Answers a receiver's generic NACK: packets still in the stream's cache are resent to that
 * receiver at once; only those the cache lacks are asked of the sender, in a NACK from the
 * bridge's feedback SSRC (the sender then retransmits, and the bridge forwards that to everyone).
 * Where the sender negotiated RTX for the stream (an FID partner and an RTX payload type), a resent packet goes
 * as RTX (RFC 4588) on the partner SSRC, numbered on that receiver's RTX sequence: the receiver then tells a
 * retransmission from a late packet; otherwise it goes as it was.
 */
final class NackResponder {
    private final int feedbackSsrc;

    NackResponder(int feedbackSsrc) {
        this.feedbackSsrc = feedbackSsrc;
    }

    void answer(Endpoint receiver, SenderStream stream, RtcpPacket nack, long nowNanos,
                EndpointReceiver.Scratch scratch) {
        int count = nack.copyNackLost(scratch.lost, 0);
        long nowMs = nowNanos / 1_000_000L;
        int missing = 0;
        for (int i = 0; i < count; i++) {
            int seq = scratch.lost[i];
            int len = stream.cache == null ? -1 : stream.cache.copy(seq, nowMs, scratch.packet, 0);
            if (len > 0) {
                byte[] out = scratch.packet;
                int transportWide = TransportWideStamp.locate(out, 0, len, stream.owner.transportCcExtension());
                int rtxPt = stream.rtxSsrc() == 0 ? 0 : stream.owner.rtxPayloadType(scratch.packet[1] & 0x7F);
                if (rtxPt > 0) {
                    int wrapped = Rtx.wrap(scratch.packet, 0, len, rtxPt, receiver.nextRtxSequence(stream.rtxSsrc()),
                            stream.rtxSsrc(), scratch.rtx, 0);
                    if (wrapped > 0) {
                        out = scratch.rtx;
                        len = wrapped;
                    }
                }
                if (receiver.sendRtp(out, 0, len, transportWide)) {
                    receiver.counters.addRetransmitted();
                }
            } else {
                scratch.missing[missing++] = seq;
            }
        }
        if (missing > 0) {
            int len = RtcpFeedbackWriter.writeNack(scratch.packet, 0, feedbackSsrc, stream.ssrc,
                    scratch.missing, 0, missing);
            if (stream.owner.sendRtcp(scratch.packet, 0, len)) {
                stream.owner.counters.nackToSender();
            }
        }
    }
}
