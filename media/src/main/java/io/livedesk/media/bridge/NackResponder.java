package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtcpFeedbackWriter;
import io.livedesk.media.rtp.RtcpPacket;
import io.livedesk.media.rtp.Rtx;
import io.livedesk.media.simulcast.SimulcastRewriter;

/**
 * Answers a receiver's generic NACK: packets still in the stream's cache are resent to that
 * receiver at once; only those the cache lacks are asked of the sender, in a NACK from the
 * bridge's feedback SSRC (the sender then retransmits, and the bridge forwards that to everyone).
 * Where the sender negotiated RTX for the stream (an FID partner and an RTX payload type), a resent packet goes
 * as RTX (RFC 4588) on the partner SSRC, numbered on that receiver's RTX sequence: the receiver then tells a
 * retransmission from a late packet; otherwise it goes as it was.
 *
 * <p>A simulcast track's receiver names the numbers of its own rewritten stream: its rewriter maps each back to the
 * layer SSRC and original number it came from ({@link #answerLayers}); the layer's cached packet is resent rewritten
 * exactly as it first went out. Always plainly on the receiver's SSRC: its SDP pairs no RTX SSRC with that one
 * ({@code BridgeSdp.track} forwards a simulcast track without RTX), so an RTX packet would be an unknown SSRC to it.
 * What the cache lacks is asked of the sender about the layer's own numbers, one NACK per layer SSRC.
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

    /**
     * Answers the NACK of a receiver of {@code track}, whose {@code rewriter} numbered what it got. A number outside
     * the rewriter's window is not answered: {@link ForwardingDrop#SIMULCAST_NACK_UNMAPPED}.
     */
    void answerLayers(Endpoint receiver, SimulcastSource track, SimulcastRewriter rewriter, RtcpPacket nack,
                      long nowNanos, EndpointReceiver.Scratch scratch) {
        int count = nack.copyNackLost(scratch.lost, 0);
        long nowMs = nowNanos / 1_000_000L;
        int missing = 0;
        for (int i = 0; i < count; i++) {
            int outSeq = scratch.lost[i];
            long origin = rewriter.origin(outSeq);
            SenderStream layer = origin == SimulcastRewriter.UNKNOWN ? null
                    : track.layerStream(SimulcastRewriter.originLayer(origin));
            if (layer == null || layer.ssrc != SimulcastRewriter.originSsrc(origin)) {
                receiver.counters.drop(ForwardingDrop.SIMULCAST_NACK_UNMAPPED);
                continue;
            }
            int originalSeq = SimulcastRewriter.originSequence(origin);
            int len = layer.cache == null ? -1 : layer.cache.copy(originalSeq, nowMs, scratch.packet, 0);
            if (len <= 0) {
                scratch.missing[missing] = originalSeq;
                scratch.missingSsrcs[missing++] = layer.ssrc;
            } else if (!rewriter.rewriteResend(scratch.packet, 0, len, outSeq)) {
                receiver.counters.drop(ForwardingDrop.SIMULCAST_NACK_UNMAPPED); // forgotten meanwhile
            } else if (receiver.sendRtp(scratch.packet, 0, len)) {
                receiver.counters.addRetransmitted();
            }
        }
        askLayers(track, scratch, missing);
    }

    /**
     * One NACK per layer SSRC among the first {@code missing} entries, about the layer's own numbers (a NACK around a
     * switch names two layers). Reuses {@code scratch.lost}, read by then.
     */
    private void askLayers(SimulcastSource track, EndpointReceiver.Scratch scratch, int missing) {
        int done = 0;
        while (done < missing) {
            int ssrc = scratch.missingSsrcs[done];
            int n = 0;
            int kept = done;
            for (int i = done; i < missing; i++) {
                if (scratch.missingSsrcs[i] == ssrc) {
                    scratch.lost[n++] = scratch.missing[i];
                } else {
                    scratch.missing[kept] = scratch.missing[i];
                    scratch.missingSsrcs[kept++] = scratch.missingSsrcs[i];
                }
            }
            missing = kept;
            int len = RtcpFeedbackWriter.writeNack(scratch.packet, 0, feedbackSsrc, ssrc, scratch.lost, 0, n);
            if (track.owner.sendRtcp(scratch.packet, 0, len)) {
                track.owner.counters.nackToSender();
            }
        }
    }
}
