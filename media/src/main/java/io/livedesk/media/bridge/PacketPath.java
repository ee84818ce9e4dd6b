package io.livedesk.media.bridge;

import java.util.function.LongSupplier;

/**
 * The stages of one conference's receive pipeline, built once with the conference and shared by its
 * endpoints' {@link EndpointReceiver}s (after Jitsi Videobridge's transceiver nodes and mediasoup's
 * listener interfaces): the receiver calls these, and nothing else, for every packet.
 *
 * @param routing   the SSRC table and endpoint snapshot packets are classified and fanned out by
 * @param forwarding  the first stage of a sender's accepted RTP: to the other endpoints
 * @param audioTaps   the second: to the taps on the sender, off the forwarding's critical path
 * @param feedback    what becomes of each RTCP packet
 * @param firstPacket told once per endpoint, on the first packet it sends (it can now receive)
 */
record PacketPath(LongSupplier clock, ConferenceRouting routing, RtpStage forwarding, RtpStage audioTaps,
                  RtcpStage feedback, FirstPacket firstPacket) {

    /** An endpoint just showed it can receive: e.g. ask the senders for keyframes for it. */
    interface FirstPacket {
        void onFirstPacket(Endpoint endpoint, byte[] scratch);
    }
}
