package io.livedesk.bench.sockets;

import io.livedesk.media.rtp.Vp8Descriptor;

/**
 * The VP8 bytes a simulcast layer's packet carries before the tool's {@link Payload}: the payload descriptor (RFC
 * 7741: X, S on a frame's first packet, a 15-bit picture id), and on a frame's first packet the frame tag (RFC 6386
 * 9.1: P clear for a keyframe), which on a keyframe goes on with the start code and the frame's width and height, the
 * bytes the bridge reads a layer's height from.
 */
final class Vp8Payload {
    static final int DESCRIPTOR = 4;
    static final int FRAME_TAG = 3;
    static final int KEYFRAME_HEADER = FRAME_TAG + 7;
    /** The most {@link #write} adds before the payload. */
    static final int MAX_LENGTH = DESCRIPTOR + KEYFRAME_HEADER;

    private Vp8Payload() {
    }

    /**
     * Writes the VP8 bytes of one packet at {@code at}.
     *
     * @param startOfFrame the frame's first packet
     * @param keyframe     the frame is a keyframe (only read on its first packet)
     * @return bytes written
     */
    static int write(byte[] into, int at, int pictureId, boolean startOfFrame, boolean keyframe, int width, int height) {
        int p = at;
        into[p++] = (byte) (startOfFrame ? 0x90 : 0x80); // X, S on the first packet, partition 0
        into[p++] = (byte) 0x80; // I: a picture id follows
        into[p++] = (byte) (0x80 | (pictureId >> 8) & 0x7F); // M: 15 bits
        into[p++] = (byte) pictureId;
        if (!startOfFrame) {
            return p - at;
        }
        // Frame tag: P (bit 0) clear for a keyframe, version 0, show_frame; the first partition's size is not read.
        into[p++] = (byte) (keyframe ? 0x10 : 0x11);
        into[p++] = 0x02;
        into[p++] = 0x00;
        if (keyframe) {
            into[p++] = (byte) 0x9d;
            into[p++] = 0x01;
            into[p++] = 0x2a;
            into[p++] = (byte) width; // 14 bits, little-endian, no scaling
            into[p++] = (byte) ((width >> 8) & 0x3F);
            into[p++] = (byte) height;
            into[p++] = (byte) ((height >> 8) & 0x3F);
        }
        return p - at;
    }

    /**
     * Where the tool's payload starts after the VP8 bytes of the RTP payload {@code [at, at + len)}, read with the
     * bridge's own parser into {@code vp8}; -1 when they are not what {@link #write} writes.
     */
    static int skip(Vp8Descriptor vp8, byte[] from, int at, int len) {
        if (!vp8.read(from, at, len) || vp8.pictureIdBits() != 15) {
            return -1;
        }
        int p = at + vp8.length();
        if (vp8.startOfFrame()) {
            p += vp8.keyframe() ? KEYFRAME_HEADER : FRAME_TAG;
        }
        return p <= at + len ? p : -1;
    }
}
