package io.livedesk.bench.live;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Reads what the livestream benchmark needs out of the server's frames as bytes, without decoding them to
 * strings: 10,000 viewers receive about 50,000 frames a second, and the generator shares the machine's
 * CPUs with the servers. The server writes compact JSON with Jackson, {@code type} first (see
 * {@code ServerMessage}'s {@code @JsonPropertyOrder}), and the benchmark's own chat texts start with
 * {@code #} and the message's sequence number, which Jackson writes unescaped.
 */
final class Frames {
    enum Type { CHAT_BATCH, STATS, JOINED, WELCOME, ACK, ERROR, PONG, OTHER }

    private static final byte[] TYPE_PREFIX = bytes("{\"type\":\"");
    private static final byte[][] NAMES = {
            bytes("chat.batch\""), bytes("broadcast.stats\""), bytes("broadcast.joined\""), bytes("welcome\""),
            bytes("ack\""), bytes("error\""), bytes("pong\"")};
    private static final Type[] TYPES = {Type.CHAT_BATCH, Type.STATS, Type.JOINED, Type.WELCOME, Type.ACK, Type.ERROR,
            Type.PONG};

    static final byte[] VIEWERS = bytes("\"viewers\":");
    static final byte[] LIKES = bytes("\"likes\":");
    /** Where a benchmark chat message's sequence number starts: its text is {@code #<seq> ...}. */
    static final byte[] CHAT_TAG = bytes("\"text\":\"#");

    private Frames() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The frame's type, from the bytes after {@code {"type":"}. */
    static Type type(byte[] b, int len) {
        if (!startsWith(b, len, 0, TYPE_PREFIX)) {
            return Type.OTHER;
        }
        int at = TYPE_PREFIX.length;
        for (int i = 0; i < NAMES.length; i++) {
            if (startsWith(b, len, at, NAMES[i])) {
                return TYPES[i];
            }
        }
        return Type.OTHER;
    }

    /** The non-negative integer right after the first {@code needle} (e.g. {@code "viewers":}), or -1. */
    static long number(byte[] b, int len, byte[] needle) {
        int i = indexOf(b, len, needle, 0);
        if (i < 0) {
            return -1;
        }
        return digits(b, len, i + needle.length);
    }

    /**
     * Calls {@code onSeq} with the sequence number of every benchmark chat message in a {@code chat.batch}
     * (texts that start {@code #<digits>}); returns how many it found.
     */
    static int chatTags(byte[] b, int len, IntConsumer onSeq) {
        int found = 0;
        int from = 0;
        while (true) {
            int i = indexOf(b, len, CHAT_TAG, from);
            if (i < 0) {
                return found;
            }
            int start = i + CHAT_TAG.length;
            long seq = digits(b, len, start);
            if (seq >= 0 && seq <= Integer.MAX_VALUE) {
                onSeq.accept((int) seq);
                found++;
            }
            from = start;
        }
    }

    private static long digits(byte[] b, int len, int at) {
        long v = 0;
        int i = at;
        while (i < len && b[i] >= '0' && b[i] <= '9' && i - at < 18) {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        return i == at ? -1 : v;
    }

    /**
     * The first {@code needle} at or after {@code from}, or -1. Looks for the needle's last byte first: for the
     * chat tag that is {@code #}, rare in the server's JSON, where the first byte ({@code "}) is everywhere.
     */
    static int indexOf(byte[] b, int len, byte[] needle, int from) {
        int n = needle.length;
        byte lastByte = needle[n - 1];
        for (int end = from + n - 1; end < len; end++) {
            if (b[end] == lastByte && startsWith(b, len, end - n + 1, needle)) {
                return end - n + 1;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int len, int at, byte[] prefix) {
        if (at + prefix.length > len) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (b[at + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }
}
