package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtpPacket;

/**
 * Sends one sender's RTP, unchanged (SSRCs, sequence numbers and payload types as the sender wrote
 * them: each receiver's SDP lists the sender's SSRCs), to every other endpoint of the conference.
 * Each receiver's transport copies and re-encrypts it with its own keys; its copy carries the receiver's own
 * transport-wide sequence number ({@link TransportWideStamp}). A simulcast layer's packets go
 * through their {@link SimulcastSource} instead, which gives each receiver one layer, rewritten. A relay to another
 * bridge is one receiver: each packet goes over it once, whatever the number of endpoints behind it; what came over
 * a relay goes to no other relay.
 */
final class RtpForwarder implements RtpStage {
    private final ConferenceRouting routing;
    private final KeyframeRequester keyframes;

    RtpForwarder(ConferenceRouting routing, KeyframeRequester keyframes) {
        this.routing = routing;
        this.keyframes = keyframes;
    }

    @Override
    public void onRtp(Endpoint sender, SenderStream stream, RtpPacket packet, long nowNanos) {
        if (stream.simulcast != null) {
            if (stream.primary) {
                stream.simulcast.forward(stream, packet, routing.endpoints(), keyframes, nowNanos);
            } else if (!stream.simulcast.cacheRetransmission(stream, packet, nowNanos / 1_000_000L)) {
                sender.counters.drop(ForwardingDrop.SIMULCAST_RTX);
            }
            return;
        }
        byte[] buf = packet.buffer();
        int off = packet.offset();
        int len = packet.length();
        int transportWide = TransportWideStamp.locate(buf, off, len, sender.transportCcExtension());
        if (!stream.primary && len <= stream.rtxCopy.length) {
            forwardRtx(sender, stream, buf, off, len, transportWide < 0 ? -1 : transportWide - off);
            return;
        }
        for (Endpoint receiver : routing.endpoints()) {
            if (receiver.receivesFrom(sender) && receiver.sendRtp(buf, off, len, transportWide)) {
                receiver.counters.forwardedRtp();
            }
        }
    }

    /** The sender's own retransmissions: to each receiver on that receiver's RTX numbering (see NackResponder). */
    private void forwardRtx(Endpoint sender, SenderStream stream, byte[] buf, int off, int len, int transportWide) {
        byte[] copy = stream.rtxCopy;
        System.arraycopy(buf, off, copy, 0, len);
        for (Endpoint receiver : routing.endpoints()) {
            if (receiver.receivesFrom(sender)) {
                int seq = receiver.nextRtxSequence(stream.ssrc);
                copy[2] = (byte) (seq >> 8);
                copy[3] = (byte) seq;
                if (receiver.sendRtp(copy, 0, len, transportWide)) {
                    receiver.counters.forwardedRtp();
                }
            }
        }
    }
}
