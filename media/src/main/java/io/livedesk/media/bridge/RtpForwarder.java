package io.livedesk.media.bridge;

import io.livedesk.media.rtp.RtpPacket;

/**
 * Sends one sender's RTP, unchanged (SSRCs, sequence numbers and payload types as the sender wrote
 * them: each receiver's SDP lists the sender's SSRCs), to every other endpoint of the conference.
 * Each receiver's transport copies and re-encrypts it with its own keys.
 */
final class RtpForwarder implements RtpStage {
    private final ConferenceRouting routing;

    RtpForwarder(ConferenceRouting routing) {
        this.routing = routing;
    }

    @Override
    public void onRtp(Endpoint sender, SenderStream stream, RtpPacket packet, long nowNanos) {
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
