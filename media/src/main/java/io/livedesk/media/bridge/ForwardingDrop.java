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
     * RTP of a simulcast layer's RTX stream that cannot be restored into its layer's cache (no RTX payload type
     * negotiated for it, its layer not known yet, malformed). Each receiver gets its layer rewritten into one stream
     * without RTX, so a layer's retransmission is never forwarded as such: one that can be restored waits in the
     * cache for the receiver's next NACK.
     */
    SIMULCAST_RTX,
    /**
     * A sequence number in a simulcast receiver's NACK that the bridge cannot map back to a layer's packet: older than
     * the rewriter's window ({@code SimulcastRewriter.WINDOW} packets), never sent, or from a layer SSRC since replaced.
     * One per sequence number.
     */
    SIMULCAST_NACK_UNMAPPED,
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
