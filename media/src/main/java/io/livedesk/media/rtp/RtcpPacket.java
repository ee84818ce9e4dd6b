package io.livedesk.media.rtp;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * A reusable, mutable view over one RTCP packet (RFC 3550 section 6.4 ff., RFC 4585 section 6.1)
 * in someone else's {@code byte[]}; usually filled by {@link RtcpCompound#next}.
 *
 * <p>{@link #wrap} checks the common header, that the declared length fits, that padding fits,
 * and that the type-specific fixed part and counted items (report blocks, SSRCs, FCI) fit. So after
 * a successful wrap the accessors of the packet's {@link #kind()} never read outside the packet.
 * Accessors of another kind throw {@link IllegalStateException} (a caller bug, never input).
 *
 * <p>Not thread-safe: a view belongs to the thread that wrapped it.
 */
public final class RtcpPacket {
    public static final int HEADER_LENGTH = 4;
    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    public static final int PT_RTPFB = 205;
    public static final int PT_PSFB = 206;
    public static final int FMT_NACK = 1;
    public static final int FMT_TRANSPORT_CC = 15;
    public static final int FMT_PLI = 1;
    public static final int FMT_FIR = 4;
    public static final int FMT_AFB = 15;
    /** Header (4) + sender SSRC (4) + media source SSRC (4) of every RFC 4585 feedback packet. */
    public static final int FEEDBACK_HEADER_LENGTH = 12;
    public static final int REPORT_BLOCK_LENGTH = 24;
    static final int SR_FIXED_LENGTH = 28;
    static final int RR_FIXED_LENGTH = 8;
    static final int REMB_IDENTIFIER = 'R' << 24 | 'E' << 16 | 'M' << 8 | 'B';
    static final int FIR_ENTRY_LENGTH = 8;
    static final int NACK_ITEM_LENGTH = 4;

    private byte[] buf;
    private int offset;
    private int length;
    private int contentLength;
    private RtcpKind kind;

    /**
     * Points this view at the RTCP packet starting at {@code buf[off]}, of which at most
     * {@code available} bytes may be read. The packet's own length is taken from its header.
     *
     * @return false (and the view is emptied) if the packet is malformed or does not fit
     * @throws IndexOutOfBoundsException if {@code off}/{@code available} lie outside {@code buf}
     */
    public boolean wrap(byte[] buf, int off, int available) {
        Objects.checkFromIndexSize(off, available, buf.length);
        clear();
        if (available < HEADER_LENGTH) {
            return false;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != RtpPacket.VERSION) {
            return false;
        }
        int len = (Bytes.u16(buf, off + 2) + 1) * 4;
        if (len > available) {
            return false;
        }
        int content = len;
        if ((b0 & 0x20) != 0) {
            int padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || padding > len - HEADER_LENGTH) {
                return false;
            }
            content -= padding;
        }
        RtcpKind k = classify(buf, off, content);
        if (k == null) {
            return false;
        }
        this.buf = buf;
        this.offset = off;
        this.length = len;
        this.contentLength = content;
        this.kind = k;
        return true;
    }

    /**
     * Kind of the packet if its counted parts fit in {@code content} bytes, else null (malformed).
     */
    private static RtcpKind classify(byte[] buf, int off, int content) {
        int count = buf[off] & 0x1F;
        int pt = buf[off + 1] & 0xFF;
        switch (pt) {
            case PT_SR:
                return content >= SR_FIXED_LENGTH + count * REPORT_BLOCK_LENGTH ? RtcpKind.SENDER_REPORT : null;
            case PT_RR:
                return content >= RR_FIXED_LENGTH + count * REPORT_BLOCK_LENGTH ? RtcpKind.RECEIVER_REPORT : null;
            case PT_SDES:
                // Each chunk is at least an SSRC and a terminating null item padded to a word.
                return content >= HEADER_LENGTH + count * 8 ? RtcpKind.SDES : null;
            case PT_BYE:
                return content >= HEADER_LENGTH + count * 4 ? RtcpKind.BYE : null;
            case PT_APP:
                return content >= 12 ? RtcpKind.APP : null;
            case PT_RTPFB:
                if (content < FEEDBACK_HEADER_LENGTH) {
                    return null;
                }
                if (count == FMT_NACK) {
                    return content >= FEEDBACK_HEADER_LENGTH + NACK_ITEM_LENGTH ? RtcpKind.NACK : null;
                }
                if (count == FMT_TRANSPORT_CC) {
                    return content >= FEEDBACK_HEADER_LENGTH + 8 ? RtcpKind.TRANSPORT_CC : null;
                }
                return RtcpKind.OTHER_RTPFB;
            case PT_PSFB:
                if (content < FEEDBACK_HEADER_LENGTH) {
                    return null;
                }
                if (count == FMT_PLI) {
                    return RtcpKind.PLI;
                }
                if (count == FMT_FIR) {
                    return content >= FEEDBACK_HEADER_LENGTH + FIR_ENTRY_LENGTH ? RtcpKind.FIR : null;
                }
                if (count == FMT_AFB && content >= FEEDBACK_HEADER_LENGTH + 4
                        && Bytes.i32(buf, off + FEEDBACK_HEADER_LENGTH) == REMB_IDENTIFIER) {
                    if (content < FEEDBACK_HEADER_LENGTH + 8) {
                        return null;
                    }
                    int ssrcs = buf[off + FEEDBACK_HEADER_LENGTH + 4] & 0xFF;
                    return content >= FEEDBACK_HEADER_LENGTH + 8 + ssrcs * 4 ? RtcpKind.REMB : null;
                }
                return RtcpKind.OTHER_PSFB;
            default:
                return RtcpKind.UNKNOWN;
        }
    }

    public void clear() {
        buf = null;
        offset = 0;
        length = 0;
        contentLength = 0;
        kind = null;
    }

    public RtcpKind kind() {
        return kind;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /** Whole packet length in bytes, from its header: (length field + 1) * 4. */
    public int length() {
        return length;
    }

    /** Length without trailing padding. */
    public int contentLength() {
        return contentLength;
    }

    public boolean hasPadding() {
        return (buf[offset] & 0x20) != 0;
    }

    /** The 5-bit field after P: report/source count for SR/RR/SDES/BYE, FMT for feedback. */
    public int countOrFormat() {
        return buf[offset] & 0x1F;
    }

    public int packetType() {
        return buf[offset + 1] & 0xFF;
    }

    /** True if the packet is long enough to carry an SSRC after its header (BYE with SC=0 is not). */
    public boolean hasSenderSsrc() {
        return contentLength >= 8;
    }

    /** SSRC of the sender (SR/RR/feedback), first chunk (SDES) or first source (BYE). */
    public int senderSsrc() {
        if (!hasSenderSsrc()) {
            throw new IllegalStateException("packet has no SSRC field");
        }
        return Bytes.i32(buf, offset + 4);
    }

    public void setSenderSsrc(int ssrc) {
        if (!hasSenderSsrc()) {
            throw new IllegalStateException("packet has no SSRC field");
        }
        Bytes.put32(buf, offset + 4, ssrc);
    }

    // ---- RFC 4585 feedback (RTPFB / PSFB) ----

    public boolean isFeedback() {
        int pt = packetType();
        return pt == PT_RTPFB || pt == PT_PSFB;
    }

    /** SSRC of the media source the feedback is about (0 in FIR and REMB, which list SSRCs). */
    public int mediaSsrc() {
        requireFeedback();
        return Bytes.i32(buf, offset + 8);
    }

    /** Rewrites the media source SSRC, e.g. when relaying a receiver's PLI to the original sender. */
    public void setMediaSsrc(int ssrc) {
        requireFeedback();
        Bytes.put32(buf, offset + 8, ssrc);
    }

    // ---- Generic NACK (RFC 4585 section 6.2.1) ----

    public int nackItemCount() {
        require(RtcpKind.NACK);
        return (contentLength - FEEDBACK_HEADER_LENGTH) / NACK_ITEM_LENGTH;
    }

    /** Packet ID of item {@code i}: the first lost sequence number. */
    public int nackPid(int i) {
        return Bytes.u16(buf, nackItem(i));
    }

    /** Bitmask of following lost packets: bit k set means PID + k + 1 was lost. */
    public int nackBlp(int i) {
        return Bytes.u16(buf, nackItem(i) + 2);
    }

    /** Number of sequence numbers reported lost across all items (duplicates counted). */
    public int nackLostCount() {
        int n = 0;
        for (int i = 0, items = nackItemCount(); i < items; i++) {
            n += 1 + Integer.bitCount(nackBlp(i));
        }
        return n;
    }

    /**
     * Writes the lost sequence numbers into {@code dst} from {@code dstOff}, stopping when it is
     * full; returns how many were written. No allocation.
     */
    public int copyNackLost(int[] dst, int dstOff) {
        int n = dstOff;
        for (int i = 0, items = nackItemCount(); i < items; i++) {
            int pid = nackPid(i);
            int blp = nackBlp(i);
            if (n == dst.length) {
                break;
            }
            dst[n++] = pid;
            for (int bit = 0; bit < 16 && n < dst.length; bit++) {
                if ((blp & 1 << bit) != 0) {
                    dst[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n - dstOff;
    }

    /** Calls {@code action} with each lost sequence number, in packet order. */
    public void forEachNackLost(IntConsumer action) {
        for (int i = 0, items = nackItemCount(); i < items; i++) {
            int pid = nackPid(i);
            int blp = nackBlp(i);
            action.accept(pid);
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & 1 << bit) != 0) {
                    action.accept((pid + bit + 1) & 0xFFFF);
                }
            }
        }
    }

    private int nackItem(int i) {
        Objects.checkIndex(i, nackItemCount());
        return offset + FEEDBACK_HEADER_LENGTH + i * NACK_ITEM_LENGTH;
    }

    // ---- FIR (RFC 5104 section 4.3.1) ----

    public int firEntryCount() {
        require(RtcpKind.FIR);
        return (contentLength - FEEDBACK_HEADER_LENGTH) / FIR_ENTRY_LENGTH;
    }

    /** SSRC of the media sender asked for a keyframe by entry {@code i}. */
    public int firSsrc(int i) {
        return Bytes.i32(buf, firEntry(i));
    }

    public void setFirSsrc(int i, int ssrc) {
        Bytes.put32(buf, firEntry(i), ssrc);
    }

    /** Command sequence number of entry {@code i}: repeats of one request carry the same value. */
    public int firSequenceNumber(int i) {
        return buf[firEntry(i) + 4] & 0xFF;
    }

    private int firEntry(int i) {
        Objects.checkIndex(i, firEntryCount());
        return offset + FEEDBACK_HEADER_LENGTH + i * FIR_ENTRY_LENGTH;
    }

    /** Bytes of an SR without report blocks: header, sender SSRC, NTP and RTP timestamps, packet and octet counts. */
    public static final int SENDER_INFO_LENGTH = 28;

    /**
     * Writes this SR's sender info as an SR of its own, without report blocks, from {@code ssrc} and with the RTP
     * timestamp moved by {@code timestampOffset} (a forwarder that rewrote the stream's timestamps), into
     * {@code dst} at 0.
     *
     * @return {@link #SENDER_INFO_LENGTH}
     */
    public int writeSenderInfo(byte[] dst, int ssrc, int timestampOffset) {
        require(RtcpKind.SENDER_REPORT);
        System.arraycopy(buf, offset, dst, 0, SENDER_INFO_LENGTH);
        dst[0] = (byte) (dst[0] & 0xE0);
        Bytes.put16(dst, 2, SENDER_INFO_LENGTH / 4 - 1);
        Bytes.put32(dst, 4, ssrc);
        Bytes.put32(dst, 16, Bytes.i32(dst, 16) + timestampOffset);
        return SENDER_INFO_LENGTH;
    }

    // ---- REMB (draft-alvestrand-rmcat-remb-03 section 2.2) ----

    /** Estimated maximum bitrate in bits/s, mantissa * 2^exp; saturates at Long.MAX_VALUE. */
    public long rembBitrate() {
        require(RtcpKind.REMB);
        int field = Bytes.u24(buf, offset + FEEDBACK_HEADER_LENGTH + 5);
        int exp = field >>> 18;
        long mantissa = field & 0x3FFFF;
        if (mantissa > Long.MAX_VALUE >>> exp) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }

    public int rembSsrcCount() {
        require(RtcpKind.REMB);
        return buf[offset + FEEDBACK_HEADER_LENGTH + 4] & 0xFF;
    }

    public int rembSsrc(int i) {
        Objects.checkIndex(i, rembSsrcCount());
        return Bytes.i32(buf, offset + FEEDBACK_HEADER_LENGTH + 8 + i * 4);
    }

    // ---- transport-wide CC (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1) ----

    public int tccBaseSequenceNumber() {
        require(RtcpKind.TRANSPORT_CC);
        return Bytes.u16(buf, offset + FEEDBACK_HEADER_LENGTH);
    }

    public int tccPacketStatusCount() {
        require(RtcpKind.TRANSPORT_CC);
        return Bytes.u16(buf, offset + FEEDBACK_HEADER_LENGTH + 2);
    }

    /** Signed 24-bit reference time in multiples of 64 ms. */
    public int tccReferenceTime() {
        require(RtcpKind.TRANSPORT_CC);
        return Bytes.u24(buf, offset + FEEDBACK_HEADER_LENGTH + 4) << 8 >> 8;
    }

    public int tccFeedbackPacketCount() {
        require(RtcpKind.TRANSPORT_CC);
        return buf[offset + FEEDBACK_HEADER_LENGTH + 7] & 0xFF;
    }

    // ---- SR / RR (RFC 3550 sections 6.4.1, 6.4.2) ----

    /** 64-bit NTP timestamp of a sender report. */
    public long srNtpTimestamp() {
        require(RtcpKind.SENDER_REPORT);
        return (long) Bytes.i32(buf, offset + 8) << 32 | Bytes.u32(buf, offset + 12);
    }

    public int srRtpTimestamp() {
        require(RtcpKind.SENDER_REPORT);
        return Bytes.i32(buf, offset + 16);
    }

    public long srPacketCount() {
        require(RtcpKind.SENDER_REPORT);
        return Bytes.u32(buf, offset + 20);
    }

    public long srOctetCount() {
        require(RtcpKind.SENDER_REPORT);
        return Bytes.u32(buf, offset + 24);
    }

    public int reportBlockCount() {
        requireReport();
        return countOrFormat();
    }

    /** SSRC of the source report block {@code i} is about. */
    public int reportSsrc(int i) {
        return Bytes.i32(buf, reportBlock(i));
    }

    public void setReportSsrc(int i, int ssrc) {
        Bytes.put32(buf, reportBlock(i), ssrc);
    }

    /** Fraction lost as a fixed point number with the binary point at the left (0-255). */
    public int reportFractionLost(int i) {
        return buf[reportBlock(i) + 4] & 0xFF;
    }

    /** Cumulative number of packets lost: signed 24-bit (duplicates can make it negative). */
    public int reportCumulativeLost(int i) {
        return Bytes.u24(buf, reportBlock(i) + 5) << 8 >> 8;
    }

    public long reportExtendedHighestSequence(int i) {
        return Bytes.u32(buf, reportBlock(i) + 8);
    }

    public long reportJitter(int i) {
        return Bytes.u32(buf, reportBlock(i) + 12);
    }

    public long reportLastSr(int i) {
        return Bytes.u32(buf, reportBlock(i) + 16);
    }

    public long reportDelaySinceLastSr(int i) {
        return Bytes.u32(buf, reportBlock(i) + 20);
    }

    private int reportBlock(int i) {
        Objects.checkIndex(i, reportBlockCount());
        int first = kind == RtcpKind.SENDER_REPORT ? SR_FIXED_LENGTH : RR_FIXED_LENGTH;
        return offset + first + i * REPORT_BLOCK_LENGTH;
    }

    // ---- BYE (RFC 3550 section 6.6) ----

    public int byeSsrcCount() {
        require(RtcpKind.BYE);
        return countOrFormat();
    }

    public int byeSsrc(int i) {
        Objects.checkIndex(i, byeSsrcCount());
        return Bytes.i32(buf, offset + 4 + i * 4);
    }

    private void require(RtcpKind expected) {
        if (kind != expected) {
            throw new IllegalStateException("expected " + expected + " but packet is " + kind);
        }
    }

    private void requireFeedback() {
        if (kind == null || !isFeedback()) {
            throw new IllegalStateException("not a feedback packet: " + kind);
        }
    }

    private void requireReport() {
        if (kind != RtcpKind.SENDER_REPORT && kind != RtcpKind.RECEIVER_REPORT) {
            throw new IllegalStateException("not a sender/receiver report: " + kind);
        }
    }
}
