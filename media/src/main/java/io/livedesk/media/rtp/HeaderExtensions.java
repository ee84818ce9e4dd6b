package io.livedesk.media.rtp;

/**
 * Finds one element of an RTP header extension block (RFC 8285) without allocating.
 *
 * <p>Both forms are read: one-byte (profile {@code 0xBEDE}, ids 1-14, 1-16 data bytes) and
 * two-byte (profile {@code 0x100X}, ids 1-255, 0-255 data bytes). Padding bytes (0) between
 * elements are skipped. Hostile blocks are tolerated: an element whose length runs past the block
 * ends the search with "not found" rather than an exception, because the rest of the packet
 * (payload) is still worth forwarding.
 */
public final class HeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Two-byte profile is 0x100 in the top 12 bits; the low 4 bits are application bits. */
    public static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** One-byte id 15 means "stop parsing" (RFC 8285 section 4.2). */
    private static final int ONE_BYTE_STOP_ID = 15;

    private HeaderExtensions() {
    }

    public static boolean isOneByte(int profile) {
        return profile == ONE_BYTE_PROFILE;
    }

    public static boolean isTwoByte(int profile) {
        return (profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE;
    }

    /**
     * Returns the absolute offset in {@code buf} of the data of element {@code id} inside the block
     * {@code [start, end)}, or -1 when absent, malformed, or the profile is neither RFC 8285 form.
     */
    public static int find(byte[] buf, int start, int end, int profile, int id) {
        if (isOneByte(profile)) {
            return findOneByte(buf, start, end, id);
        }
        if (isTwoByte(profile)) {
            return findTwoByte(buf, start, end, id);
        }
        return -1;
    }

    /**
     * Length of the element data at {@code dataOffset}, which must be a value returned by
     * {@link #find} for the same profile: the length sits in the byte(s) just before the data.
     */
    public static int dataLength(byte[] buf, int dataOffset, int profile) {
        return isOneByte(profile) ? (buf[dataOffset - 1] & 0x0F) + 1 : buf[dataOffset - 1] & 0xFF;
    }

    private static int findOneByte(byte[] buf, int start, int end, int id) {
        if (id < 1 || id > 14) {
            return -1;
        }
        int i = start;
        while (i < end) {
            int b = buf[i] & 0xFF;
            if (b == 0) {
                i++;
                continue;
            }
            int elementId = b >>> 4;
            if (elementId == ONE_BYTE_STOP_ID) {
                return -1;
            }
            int dataOffset = i + 1;
            int dataEnd = dataOffset + (b & 0x0F) + 1;
            if (dataEnd > end) {
                return -1;
            }
            if (elementId == id) {
                return dataOffset;
            }
            i = dataEnd;
        }
        return -1;
    }

    private static int findTwoByte(byte[] buf, int start, int end, int id) {
        if (id < 1 || id > 255) {
            return -1;
        }
        int i = start;
        while (i < end) {
            int elementId = buf[i] & 0xFF;
            if (elementId == 0) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return -1;
            }
            int dataOffset = i + 2;
            int dataEnd = dataOffset + (buf[i + 1] & 0xFF);
            if (dataEnd > end) {
                return -1;
            }
            if (elementId == id) {
                return dataOffset;
            }
            i = dataEnd;
        }
        return -1;
    }
}
