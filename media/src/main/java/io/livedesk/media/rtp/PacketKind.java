package io.livedesk.media.rtp;

/**
 * What a datagram on the bridge's one UDP port is, told by its first byte (RFC 7983, section 7):
 * STUN 0-3, DTLS 20-63, RTP/RTCP 128-191; RTCP when the second byte is a control payload type
 * 192-223 (RFC 5761 section 4). Anything else is {@link #UNKNOWN} and is dropped and counted.
 */
public enum PacketKind {
    STUN, DTLS, RTP, RTCP, UNKNOWN;

    public static PacketKind classify(byte[] buf, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 <= 3) {
            return len >= 20 ? STUN : UNKNOWN;
        }
        if (b0 >= 20 && b0 <= 63) {
            return len >= 13 ? DTLS : UNKNOWN;
        }
        if (b0 >= 128 && b0 <= 191) {
            if (len < 8) {
                return UNKNOWN;
            }
            int pt = buf[off + 1] & 0xFF;
            if (pt >= 192 && pt <= 223) {
                return RTCP;
            }
            return len >= 12 ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }
}
