package io.livedesk.media.rtp;

import java.util.Objects;

/**
 * Writes the RTCP feedback packets the bridge originates or regenerates into a caller-provided
 * {@code byte[]}: PLI and generic NACK (RFC 4585 section 6), FIR (RFC 5104 section 4.3.1) and REMB
 * (draft-alvestrand-rmcat-remb). Each method checks room first and writes nothing if the packet
 * does not fit; it returns the number of bytes written.
 */
public final class RtcpFeedbackWriter {
    public static final int PLI_LENGTH = RtcpPacket.FEEDBACK_HEADER_LENGTH;
    public static final int FIR_LENGTH = RtcpPacket.FEEDBACK_HEADER_LENGTH + RtcpPacket.FIR_ENTRY_LENGTH;
    /** Largest REMB mantissa: 18 bits. */
    static final int REMB_MAX_MANTISSA = (1 << 18) - 1;

    private RtcpFeedbackWriter() {
    }

    public static int writePli(byte[] buf, int off, int senderSsrc, int mediaSsrc) {
        Objects.checkFromIndexSize(off, PLI_LENGTH, buf.length);
        writeFeedbackHeader(buf, off, RtcpPacket.FMT_PLI, RtcpPacket.PT_PSFB, PLI_LENGTH, senderSsrc, mediaSsrc);
        return PLI_LENGTH;
    }

    /**
     * One-entry FIR. {@code commandSequence} (0-255) must be incremented by the caller for each new
     * request and kept for repeats of the same request (RFC 5104 section 4.3.1.1).
     */
    public static int writeFir(byte[] buf, int off, int senderSsrc, int mediaSsrc, int commandSequence) {
        Objects.checkFromIndexSize(off, FIR_LENGTH, buf.length);
        // The header's media source SSRC is unused in FIR and must be 0; the target is in the FCI.
        writeFeedbackHeader(buf, off, RtcpPacket.FMT_FIR, RtcpPacket.PT_PSFB, FIR_LENGTH, senderSsrc, 0);
        int fci = off + RtcpPacket.FEEDBACK_HEADER_LENGTH;
        Bytes.put32(buf, fci, mediaSsrc);
        buf[fci + 4] = (byte) commandSequence;
        Bytes.put24(buf, fci + 5, 0);
        return FIR_LENGTH;
    }

    /**
     * Bytes a NACK for {@code seqs[from, from + count)} will take. Sequence numbers within 16 after
     * the current item's PID share its BLP; sorted input (in wrap-around order) packs tightest, any
     * order is still reported completely.
     */
    public static int nackLength(int[] seqs, int from, int count) {
        Objects.checkFromIndexSize(from, count, seqs.length);
        int items = 0;
        int pid = -1;
        for (int i = from; i < from + count; i++) {
            int seq = seqs[i] & 0xFFFF;
            int d = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
            if (d < 0 || d > 16) {
                items++;
                pid = seq;
            }
        }
        return RtcpPacket.FEEDBACK_HEADER_LENGTH + items * RtcpPacket.NACK_ITEM_LENGTH;
    }

    /**
     * Generic NACK for the lost sequence numbers {@code seqs[from, from + count)}.
     *
     * @throws IllegalArgumentException if {@code count} is 0 (a NACK needs at least one item)
     */
    public static int writeNack(byte[] buf, int off, int senderSsrc, int mediaSsrc, int[] seqs, int from, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("a NACK needs at least one sequence number");
        }
        int length = nackLength(seqs, from, count);
        if (length / 4 - 1 > 0xFFFF) {
            throw new IllegalArgumentException("too many NACK items for one RTCP packet");
        }
        Objects.checkFromIndexSize(off, length, buf.length);
        writeFeedbackHeader(buf, off, RtcpPacket.FMT_NACK, RtcpPacket.PT_RTPFB, length, senderSsrc, mediaSsrc);
        int item = off + RtcpPacket.FEEDBACK_HEADER_LENGTH - RtcpPacket.NACK_ITEM_LENGTH;
        int pid = -1;
        int blp = 0;
        for (int i = from; i < from + count; i++) {
            int seq = seqs[i] & 0xFFFF;
            int d = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
            if (d == 0) {
                continue;
            }
            if (d < 0 || d > 16) {
                if (pid >= 0) {
                    Bytes.put16(buf, item + 2, blp);
                }
                item += RtcpPacket.NACK_ITEM_LENGTH;
                pid = seq;
                blp = 0;
                Bytes.put16(buf, item, pid);
            } else {
                blp |= 1 << (d - 1);
            }
        }
        Bytes.put16(buf, item + 2, blp);
        return length;
    }

    public static int rembLength(int ssrcCount) {
        return RtcpPacket.FEEDBACK_HEADER_LENGTH + 8 + ssrcCount * 4;
    }

    /**
     * REMB announcing {@code bitrateBps} for the streams {@code ssrcs[from, from + count)}. The
     * bitrate is stored as an 18-bit mantissa and 6-bit exponent, so it is rounded down to 18
     * significant bits.
     */
    public static int writeRemb(byte[] buf, int off, int senderSsrc, long bitrateBps, int[] ssrcs, int from, int count) {
        if (bitrateBps < 0) {
            throw new IllegalArgumentException("negative bitrate: " + bitrateBps);
        }
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException("REMB carries 0-255 SSRCs, not " + count);
        }
        Objects.checkFromIndexSize(from, count, ssrcs.length);
        int length = rembLength(count);
        Objects.checkFromIndexSize(off, length, buf.length);
        int exp = 0;
        long mantissa = bitrateBps;
        while (mantissa > REMB_MAX_MANTISSA) {
            mantissa >>>= 1;
            exp++;
        }
        // Media source SSRC is unused in REMB (0); the streams are listed in the FCI.
        writeFeedbackHeader(buf, off, RtcpPacket.FMT_AFB, RtcpPacket.PT_PSFB, length, senderSsrc, 0);
        int fci = off + RtcpPacket.FEEDBACK_HEADER_LENGTH;
        Bytes.put32(buf, fci, RtcpPacket.REMB_IDENTIFIER);
        buf[fci + 4] = (byte) count;
        Bytes.put24(buf, fci + 5, exp << 18 | (int) mantissa);
        for (int i = 0; i < count; i++) {
            Bytes.put32(buf, fci + 8 + i * 4, ssrcs[from + i]);
        }
        return length;
    }

    private static void writeFeedbackHeader(byte[] buf, int off, int fmt, int pt, int length, int senderSsrc, int mediaSsrc) {
        buf[off] = (byte) (RtpPacket.VERSION << 6 | fmt);
        buf[off + 1] = (byte) pt;
        Bytes.put16(buf, off + 2, length / 4 - 1);
        Bytes.put32(buf, off + 4, senderSsrc);
        Bytes.put32(buf, off + 8, mediaSsrc);
    }
}
