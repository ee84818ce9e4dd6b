package io.livedesk.media.transport;

import java.util.Locale;

/**
 * Why an endpoint's transport (SRTP, demultiplexing, sending) dropped a packet; each has its own
 * counter. The forwarding layer above counts its own drops as {@code bridge.ForwardingDrop}.
 */
public enum TransportDrop {
    /** SRTP/SRTCP authentication tag did not verify. */
    SRTP_AUTH_FAILED,
    /** A replayed or too old SRTP/SRTCP packet. */
    SRTP_REPLAY,
    /** SRTP/SRTCP that jitsi-srtp could not process (malformed, cipher error). */
    SRTP_INVALID,
    /** Neither STUN, DTLS, RTP nor RTCP by RFC 7983. */
    UNKNOWN_KIND,
    /** SRTP arrived before the DTLS handshake produced keys and the early buffer was full. */
    TOO_EARLY,
    /** The bridge tried to send before keys existed or ICE had a path. */
    SEND_FAILED;

    /** {@code srtp-auth-failed} etc., as statistics name it. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
