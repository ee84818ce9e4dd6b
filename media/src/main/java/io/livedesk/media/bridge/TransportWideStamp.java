package io.livedesk.media.bridge;

import io.livedesk.media.rtp.HeaderExtensions;
import io.livedesk.media.rtp.RtpPacket;

/**
 * The transport-wide sequence number element (draft-holmer-rmcat-transport-wide-cc-extensions-01, two data bytes)
 * in a packet on its way to one receiver, found and written in place without allocating. The sender's element is
 * reused: its number is the sender's numbering of its path to the bridge, so each receiver's copy gets the
 * receiver's own number under the id the receiver negotiated, or, for a receiver that did not negotiate
 * transport-cc, padding for the element (RFC 8285 section 4.2: zero bytes between elements) as before.
 *
 * <p>The packet's bytes are shared by the receivers of one forwarding loop and the stages after it (each link copies
 * before its send returns), so the element is put back after each send ({@link #save}/{@link #restore}): a stage
 * leaves the packet's bytes as they came.
 */
final class TransportWideStamp {
    private TransportWideStamp() {
    }

    /**
     * The absolute offset of the data of element {@code id} (two bytes) in the RTP packet {@code buf[off, off + len)},
     * or -1 (no such element, {@code id} 0, or not a well-formed packet).
     */
    static int locate(byte[] buf, int off, int len, int id) {
        if (id <= 0 || len < RtpPacket.FIXED_HEADER_LENGTH || (buf[off] & 0x10) == 0) {
            return -1;
        }
        int x = off + RtpPacket.FIXED_HEADER_LENGTH + (buf[off] & 0x0F) * 4;
        if (x + 4 > off + len) {
            return -1;
        }
        int profile = u16(buf, x);
        int end = x + 4 + u16(buf, x + 2) * 4;
        if (end > off + len) {
            return -1;
        }
        int at = HeaderExtensions.find(buf, x + 4, end, profile, id);
        return at >= 0 && HeaderExtensions.dataLength(buf, at, profile) == 2 ? at : -1;
    }

    /** Writes {@code seq} under {@code id} into the element at {@code at} (from {@link #locate}). */
    static void stamp(byte[] buf, int off, int at, int id, int seq) {
        if (oneByte(buf, off)) {
            buf[at - 1] = (byte) (id << 4 | 1);
        } else {
            buf[at - 2] = (byte) id;
            buf[at - 1] = 2;
        }
        buf[at] = (byte) (seq >> 8);
        buf[at + 1] = (byte) seq;
    }

    /** The element's bytes (header and data) at {@code at}, for {@link #restore}. */
    static int save(byte[] buf, int off, int at) {
        int header = oneByte(buf, off) ? 1 : 2;
        int saved = 0;
        for (int i = at - header; i < at + 2; i++) {
            saved = saved << 8 | (buf[i] & 0xFF);
        }
        return saved;
    }

    /** Turns the element at {@code at} into padding. */
    static void blank(byte[] buf, int off, int at) {
        int header = oneByte(buf, off) ? 1 : 2;
        for (int i = at - header; i < at + 2; i++) {
            buf[i] = 0;
        }
    }

    static void restore(byte[] buf, int off, int at, int saved) {
        int header = oneByte(buf, off) ? 1 : 2;
        for (int i = at + 1; i >= at - header; i--) {
            buf[i] = (byte) saved;
            saved >>>= 8;
        }
    }

    private static boolean oneByte(byte[] buf, int off) {
        return HeaderExtensions.isOneByte(u16(buf, off + RtpPacket.FIXED_HEADER_LENGTH + (buf[off] & 0x0F) * 4));
    }

    private static int u16(byte[] buf, int i) {
        return (buf[i] & 0xFF) << 8 | (buf[i + 1] & 0xFF);
    }
}
