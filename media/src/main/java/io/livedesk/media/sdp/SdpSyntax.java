package io.livedesk.media.sdp;

/**
 * Invariants shared by the model records. They guard the writer: a value holding a space, CR or
 * LF would split or inject SDP lines. Violations are programming errors, hence unchecked; the
 * parser turns them into {@link SdpParseException}s that name the line.
 */
final class SdpSyntax {
    static final long MAX_UINT32 = 0xFFFF_FFFFL;

    private SdpSyntax() {
    }

    /** A single SDP token: non-empty, no whitespace or control characters. */
    static String token(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " must be a single token: '" + SdpParseException.quote(value) + "'");
            }
        }
        return value;
    }

    /** Free text on one line: may hold spaces, never line breaks or NUL. */
    static String text(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(what + " must not contain line breaks");
            }
        }
        return value;
    }

    static int inRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    static long inRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /** Parses a decimal integer without accepting signs, spaces or absurd lengths. */
    static long unsigned(String what, String text, long max) {
        if (text.isEmpty() || text.length() > 19) {
            throw new IllegalArgumentException(what + " '" + SdpParseException.quote(text) + "' is not a number in 0.." + max);
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " '" + SdpParseException.quote(text) + "' is not a number");
            }
            if (value > (max - (c - '0')) / 10) {
                throw new IllegalArgumentException(what + " '" + SdpParseException.quote(text) + "' is larger than " + max);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static int unsignedInt(String what, String text, int max) {
        return (int) unsigned(what, text, max);
    }
}
