package io.livedesk.media.rtp;

/**
 * Arithmetic on 16-bit RTP sequence numbers, which wrap from 65535 to 0. "Newer" means ahead by
 * less than half the space (RFC 1982 serial number arithmetic); two numbers exactly 32768 apart
 * are treated as neither newer than the other.
 */
public final class SequenceNumbers {
    public static final int MODULUS = 1 << 16;
    public static final int MASK = MODULUS - 1;

    private SequenceNumbers() {
    }

    /** Signed distance from {@code b} to {@code a} in [-32768, 32767]: positive if a is newer. */
    public static int delta(int a, int b) {
        return (short) (a - b);
    }

    /** True if {@code a} comes after {@code b}, across wrap-around. */
    public static boolean isNewer(int a, int b) {
        return delta(a, b) > 0;
    }

    /** True if {@code a} comes before {@code b}; same as {@code isNewer(b, a)}. */
    public static boolean isOlder(int a, int b) {
        return isNewer(b, a);
    }

    /** {@code seq + n}, wrapped to 16 bits ({@code n} may be negative). */
    public static int add(int seq, int n) {
        return (seq + n) & MASK;
    }
}
