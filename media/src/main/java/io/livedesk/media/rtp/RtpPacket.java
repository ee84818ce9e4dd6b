package io.livedesk.media.rtp;

import java.util.Objects;

/**
 * A reusable, mutable view over one RTP packet (RFC 3550 section 5.1) held in someone else's
 * {@code byte[]}. The bridge keeps one view per thread and re-{@link #wrap wraps} it for every
 * datagram, so reading or rewriting a header costs no allocation.
 *
 * <p>{@link #wrap} accepts only packets whose CSRC list, header extension and padding all fit in
 * the given length; after a successful wrap every accessor stays inside {@code [offset, offset +
 * length)}. After a failed wrap the view is empty and accessors must not be used.
 *
 * <p>Not thread-safe: a view belongs to the thread that wrapped it.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    private byte[] buf;
    private int offset;
    private int length;
    private int headerLength;
    private int paddingLength;

    /** Checks a datagram against the RTP header rules without wrapping it. */
    public static RtpCheck check(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < FIXED_HEADER_LENGTH) {
            return RtpCheck.TOO_SHORT;
        }
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != VERSION) {
            return RtpCheck.BAD_VERSION;
        }
        int header = FIXED_HEADER_LENGTH + (b0 & 0x0F) * 4;
        if (header > len) {
            return RtpCheck.CSRC_PAST_END;
        }
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                return RtpCheck.EXTENSION_PAST_END;
            }
            header += 4 + Bytes.u16(buf, off + header + 2) * 4;
            if (header > len) {
                return RtpCheck.EXTENSION_PAST_END;
            }
        }
        if ((b0 & 0x20) != 0) {
            int padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || padding > len - header) {
                return RtpCheck.BAD_PADDING;
            }
        }
        return RtpCheck.OK;
    }

    public static boolean isValid(byte[] buf, int off, int len) {
        return check(buf, off, len) == RtpCheck.OK;
    }

    /**
     * Points this view at {@code buf[off, off + len)} if it holds a valid RTP packet.
     *
     * @return false (and the view is emptied) if the bytes are not a valid RTP packet
     * @throws IndexOutOfBoundsException if {@code off}/{@code len} do not lie inside {@code buf}
     *     (a caller bug, unlike hostile packet bytes)
     */
    public boolean wrap(byte[] buf, int off, int len) {
        if (check(buf, off, len) != RtpCheck.OK) {
            clear();
            return false;
        }
        this.buf = buf;
        this.offset = off;
        this.length = len;
        int b0 = buf[off] & 0xFF;
        int header = FIXED_HEADER_LENGTH + (b0 & 0x0F) * 4;
        if ((b0 & 0x10) != 0) {
            header += 4 + Bytes.u16(buf, off + header + 2) * 4;
        }
        this.headerLength = header;
        this.paddingLength = (b0 & 0x20) != 0 ? buf[off + len - 1] & 0xFF : 0;
        return true;
    }

    /** Empties the view so it no longer references the last buffer. */
    public void clear() {
        buf = null;
        offset = 0;
        length = 0;
        headerLength = 0;
        paddingLength = 0;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int version() {
        return (buf[offset] & 0xFF) >>> 6;
    }

    public boolean hasPadding() {
        return (buf[offset] & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf[offset] & 0x10) != 0;
    }

    public int csrcCount() {
        return buf[offset] & 0x0F;
    }

    public int csrc(int index) {
        Objects.checkIndex(index, csrcCount());
        return Bytes.i32(buf, offset + FIXED_HEADER_LENGTH + index * 4);
    }

    public boolean marker() {
        return (buf[offset + 1] & 0x80) != 0;
    }

    public int payloadType() {
        return buf[offset + 1] & 0x7F;
    }

    public int sequenceNumber() {
        return Bytes.u16(buf, offset + 2);
    }

    /** The 32-bit RTP timestamp as an int; use {@code & 0xFFFFFFFFL} for its unsigned value. */
    public int timestamp() {
        return Bytes.i32(buf, offset + 4);
    }

    public int ssrc() {
        return Bytes.i32(buf, offset + 8);
    }

    /** Fixed header + CSRCs + header extension. */
    public int headerLength() {
        return headerLength;
    }

    public int paddingLength() {
        return paddingLength;
    }

    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** Payload bytes, without padding; may be 0 (e.g. a padding-only probe). */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /** The 16-bit "defined by profile" field of the extension header, or -1 without extension. */
    public int extensionProfile() {
        return hasExtension() ? Bytes.u16(buf, extensionHeaderOffset()) : -1;
    }

    /**
     * Absolute offset of the data of header extension element {@code id} (RFC 8285, one-byte or
     * two-byte form), or -1 when the packet has no such element.
     */
    public int extensionOffset(int id) {
        if (!hasExtension()) {
            return -1;
        }
        int blockStart = extensionHeaderOffset() + 4;
        return HeaderExtensions.find(buf, blockStart, offset + headerLength, extensionProfile(), id);
    }

    /** Data length of the element found at {@code dataOffset} by {@link #extensionOffset}. */
    public int extensionLength(int dataOffset) {
        return HeaderExtensions.dataLength(buf, dataOffset, extensionProfile());
    }

    public void setMarker(boolean marker) {
        buf[offset + 1] = (byte) (marker ? buf[offset + 1] | 0x80 : buf[offset + 1] & 0x7F);
    }

    public void setPayloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        buf[offset + 1] = (byte) (buf[offset + 1] & 0x80 | payloadType);
    }

    public void setSequenceNumber(int sequenceNumber) {
        Bytes.put16(buf, offset + 2, sequenceNumber & 0xFFFF);
    }

    public void setTimestamp(int timestamp) {
        Bytes.put32(buf, offset + 4, timestamp);
    }

    public void setSsrc(int ssrc) {
        Bytes.put32(buf, offset + 8, ssrc);
    }

    private int extensionHeaderOffset() {
        return offset + FIXED_HEADER_LENGTH + csrcCount() * 4;
    }
}
