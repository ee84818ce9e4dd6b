package io.livedesk.media.rtp;

/**
 * What one RTCP packet inside a compound datagram is, from its packet type (RFC 3550 section 12.1)
 * and, for feedback packets, its FMT field (RFC 4585 section 6.1, RFC 5104, REMB draft,
 * transport-wide CC draft).
 */
public enum RtcpKind {
    /** PT 200. */
    SENDER_REPORT,
    /** PT 201. */
    RECEIVER_REPORT,
    /** PT 202. */
    SDES,
    /** PT 203. */
    BYE,
    /** PT 204. */
    APP,
    /** PT 205 FMT 1: generic NACK. */
    NACK,
    /** PT 205 FMT 15: transport-wide congestion control feedback. */
    TRANSPORT_CC,
    /** PT 205, any other FMT. */
    OTHER_RTPFB,
    /** PT 206 FMT 1: picture loss indication. */
    PLI,
    /** PT 206 FMT 4: full intra request (RFC 5104). */
    FIR,
    /** PT 206 FMT 15 with the "REMB" identifier: receiver estimated maximum bitrate. */
    REMB,
    /** PT 206, any other FMT (or an application-layer feedback that is not REMB). */
    OTHER_PSFB,
    /** A well-framed packet of a type the bridge does not interpret (e.g. XR); pass or ignore. */
    UNKNOWN
}
