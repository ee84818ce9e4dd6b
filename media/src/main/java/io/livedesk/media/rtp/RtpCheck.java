package io.livedesk.media.rtp;

/**
 * Outcome of checking a datagram against the RTP header rules of RFC 3550 section 5.1. Each
 * failure is its own constant so the bridge can count drops by cause (an enum constant is a
 * singleton: counting by ordinal costs no allocation on the hot path).
 */
public enum RtpCheck {
    OK,
    /** Fewer than the 12 bytes of the fixed header. */
    TOO_SHORT,
    /** Version field is not 2. */
    BAD_VERSION,
    /** The CSRC count asks for more 32-bit words than the datagram holds. */
    CSRC_PAST_END,
    /** The X bit is set but the extension header or its declared length runs past the end. */
    EXTENSION_PAST_END,
    /** The P bit is set but the padding count is 0 or longer than what follows the header. */
    BAD_PADDING
}
