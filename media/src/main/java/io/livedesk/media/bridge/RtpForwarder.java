package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtpPacket;

/**
 * Sends one sender's RTP, unchanged (SSRCs, sequence numbers and payload types as the sender wrote
 * them: each receiver's SDP lists the sender's SSRCs), to every other endpoint of the conference.
 * Each receiver's transport copies and re-encrypts it with its own keys. A simulcast layer's packets go
 * through their {@link SimulcastSource} instead, which gives each receiver one layer, rewritten.
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
            } else {
                sender.counters.drop(ForwardingDrop.SIMULCAST_RTX);
            }
            return;
        }
        byte[] buf = packet.buffer();
        int off = packet.offset();
        int len = packet.length();
        for (Endpoint receiver : routing.endpoints()) {
            if (receiver != sender && receiver.sendRtp(buf, off, len)) {
                receiver.counters.forwardedRtp();
            }
        }
    }
}
