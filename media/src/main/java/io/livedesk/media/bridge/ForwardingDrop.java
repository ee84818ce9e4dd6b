package io.livedesk.media.bridge;

import java.util.Locale;

/** Why the bridge's forwarding layer dropped a packet (the transport counts its own as {@code TransportDrop}). */
public enum ForwardingDrop {
    /** Decrypted RTP whose header does not parse. */
    MALFORMED_RTP,
    /** RTP from an SSRC the endpoint did not declare in its sources. */
    UNKNOWN_SSRC,
    /**
     * RTP from an endpoint that declared no sources at all: a receive-only endpoint (a livestream viewer),
     * whose media is never forwarded whatever SSRC it claims. Told apart from {@link #UNKNOWN_SSRC} because
     * it is a client sending what it was answered it may not, not a source the bridge was not told of.
     */
    RECEIVE_ONLY,
    /**
     * RTP of a simulcast layer's RTX stream: each receiver gets its layer rewritten into one stream without RTX,
     * so a retransmission of one layer has nowhere to go.
     */
    SIMULCAST_RTX,
    /** An RTCP datagram that does not parse as a compound packet. */
    MALFORMED_RTCP,
    /** Feedback (NACK, PLI, FIR) about an SSRC no other endpoint of the conference sends. */
    FEEDBACK_UNKNOWN_SSRC,
    /** A packet for this endpoint while its transport is not secure yet, or the send failed. */
    NOT_CONNECTED;

    /** {@code unknown-ssrc} etc., as statistics name it. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
