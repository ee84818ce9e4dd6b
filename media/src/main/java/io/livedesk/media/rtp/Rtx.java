package io.livedesk.media.rtp;

/**
 * RTP retransmission payload format (RFC 4588, section 4): an RTX packet is the original packet's header
 * (CSRCs and header extensions kept) with the RTX stream's payload type, sequence number and SSRC, and a payload
 * that starts with the original sequence number (OSN, 2 bytes) followed by the original payload. RTP padding is
 * not carried over (it is not part of the payload). Works on the caller's arrays (one small header view per call).
 */
public final class Rtx {
    /** Bytes an RTX packet has over its original: the OSN. */
    public static final int OVERHEAD = 2;

    private Rtx() {
    }

    /**
     * Writes the RTX packet of the original RTP packet {@code [off, off + len)} into {@code out} at
     * {@code outOff} (which must not overlap the original).
     *
     * @return its length, or -1 when the original is not valid RTP or {@code out} has no room
     */
    public static int wrap(byte[] buf, int off, int len, int rtxPayloadType, int rtxSequence, int rtxSsrc,
                           byte[] out, int outOff) {
        RtpPacket p = new RtpPacket();
        if (!p.wrap(buf, off, len)) {
            return -1;
        }
        int header = p.headerLength();
        int payload = p.payloadLength();
        int total = header + OVERHEAD + payload;
        if (outOff < 0 || outOff + total > out.length) {
            return -1;
        }
        System.arraycopy(buf, off, out, outOff, header);
        out[outOff] &= (byte) ~0x20; // no padding in the RTX packet
        out[outOff + 1] = (byte) ((out[outOff + 1] & 0x80) | (rtxPayloadType & 0x7F));
        Bytes.put16(out, outOff + 2, rtxSequence);
        Bytes.put32(out, outOff + 8, rtxSsrc);
        Bytes.put16(out, outOff + header, p.sequenceNumber());
        System.arraycopy(buf, p.payloadOffset(), out, outOff + header + OVERHEAD, payload);
        return total;
    }

    /**
     * Restores the original packet of the RTX packet {@code [off, off + len)} into {@code out} at {@code outOff}:
     * the original payload type, SSRC and the sequence number from the OSN.
     *
     * @return its length, or -1 when the RTX packet is not valid RTP, has no OSN, or {@code out} has no room
     */
    public static int unwrap(byte[] buf, int off, int len, int originalPayloadType, int originalSsrc,
                             byte[] out, int outOff) {
        RtpPacket p = new RtpPacket();
        if (!p.wrap(buf, off, len) || p.payloadLength() < OVERHEAD) {
            return -1;
        }
        int header = p.headerLength();
        int payload = p.payloadLength() - OVERHEAD;
        int total = header + payload;
        if (outOff < 0 || outOff + total > out.length) {
            return -1;
        }
        int osn = Bytes.u16(buf, p.payloadOffset());
        System.arraycopy(buf, off, out, outOff, header);
        out[outOff] &= (byte) ~0x20;
        out[outOff + 1] = (byte) ((out[outOff + 1] & 0x80) | (originalPayloadType & 0x7F));
        Bytes.put16(out, outOff + 2, osn);
        Bytes.put32(out, outOff + 8, originalSsrc);
        System.arraycopy(buf, p.payloadOffset() + OVERHEAD, out, outOff + header, payload);
        return total;
    }
}
