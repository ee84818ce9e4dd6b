package io.livedesk.media.rtp;

/**
 * The VP8 payload descriptor (RFC 7741 section 4.2) at the start of an RTP payload, read in place: whether the
 * packet starts a frame, whether that frame is a keyframe, and where the picture id and TL0PICIDX are, so a
 * forwarder can rewrite them. {@link #read} returns false for anything that is not a well-formed descriptor.
 *
 * <pre>
 *  X R N S R PID     X: extended control bits follow; S: start of a partition; PID: partition index
 *  I L T K RSV       (if X) I: picture id follows; L: TL0PICIDX; T/K: TID/KEYIDX byte
 *  M PictureID       (if I) M: 15-bit picture id, else 7-bit
 *  TL0PICIDX         (if L)
 *  TID Y KEYIDX      (if T or K)
 * </pre>
 * After it, the first byte of a frame's first partition has bit 0 (P) clear for a keyframe (RFC 6386 9.1).
 */
public final class Vp8Descriptor {
    private int length;
    private boolean startOfFrame;
    private boolean keyframe;
    private int pictureIdOffset;
    private int pictureIdBits;
    private int tl0PicIdxOffset;

    /**
     * Reads the descriptor of the payload {@code [off, off + len)} (the RTP payload, not the packet).
     *
     * @return false when it is malformed or the payload ends inside it
     */
    public boolean read(byte[] b, int off, int len) {
        if (len < 1) {
            return false;
        }
        int p = off;
        int first = b[p++] & 0xFF;
        boolean extended = (first & 0x80) != 0;
        boolean start = (first & 0x10) != 0;
        int partition = first & 0x07;
        pictureIdOffset = -1;
        pictureIdBits = 0;
        tl0PicIdxOffset = -1;
        if (extended) {
            if (p >= off + len) {
                return false;
            }
            int x = b[p++] & 0xFF;
            boolean hasPictureId = (x & 0x80) != 0;
            boolean hasTl0 = (x & 0x40) != 0;
            boolean hasTidOrKeyIdx = (x & 0x30) != 0;
            if (hasPictureId) {
                if (p >= off + len) {
                    return false;
                }
                pictureIdOffset = p;
                if ((b[p] & 0x80) != 0) {
                    pictureIdBits = 15;
                    p += 2;
                } else {
                    pictureIdBits = 7;
                    p += 1;
                }
            }
            if (hasTl0) {
                tl0PicIdxOffset = p;
                p++;
            }
            if (hasTidOrKeyIdx) {
                p++;
            }
            if (p > off + len) {
                return false;
            }
        }
        length = p - off;
        startOfFrame = start && partition == 0;
        keyframe = startOfFrame && p < off + len && (b[p] & 0x01) == 0;
        return true;
    }

    /** Bytes of the descriptor. */
    public int length() {
        return length;
    }

    /** The packet carries the first bytes of a frame (S set, partition 0). */
    public boolean startOfFrame() {
        return startOfFrame;
    }

    /** The packet starts a keyframe. */
    public boolean keyframe() {
        return keyframe;
    }

    /** Absolute offset of the picture id, or -1 when there is none. */
    public int pictureIdOffset() {
        return pictureIdOffset;
    }

    /** 7 or 15; 0 when there is no picture id. */
    public int pictureIdBits() {
        return pictureIdBits;
    }

    /** Absolute offset of TL0PICIDX, or -1. */
    public int tl0PicIdxOffset() {
        return tl0PicIdxOffset;
    }

    /** The picture id at {@link #pictureIdOffset()}. */
    public static int pictureId(byte[] b, int offset, int bits) {
        return bits == 15 ? ((b[offset] & 0x7F) << 8) | (b[offset + 1] & 0xFF) : b[offset] & 0x7F;
    }

    /** Writes {@code id} (taken modulo its width) in place, keeping the M bit as it was. */
    public static void setPictureId(byte[] b, int offset, int bits, int id) {
        if (bits == 15) {
            b[offset] = (byte) (0x80 | ((id >> 8) & 0x7F));
            b[offset + 1] = (byte) id;
        } else {
            b[offset] = (byte) (id & 0x7F);
        }
    }
}
