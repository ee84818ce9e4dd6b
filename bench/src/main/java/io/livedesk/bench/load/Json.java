package io.livedesk.bench.load;

/**
 * Reads single string fields out of the server's compact JSON by searching for {@code "name":"}. The
 * server writes with Jackson (no spaces) and the values the generator reads (types, ids, codes and its
 * own context tag) never contain quotes, so this avoids a full parse per frame and keeps the
 * generator's CPU, which shares the machine with the server, low.
 */
final class Json {
    static final String TYPE = needle("type");
    static final String ID = needle("id");
    static final String CODE = needle("code");
    static final String REQUEST_ID = needle("requestId");
    static final String CALL_ID = needle("callId");
    static final String RETRY_AFTER_MS = "\"retryAfterMs\":";
    /** The context key the generator tags each request with (its sequence number). */
    static final String TAG_KEY = "lg";
    static final String TAG = needle(TAG_KEY);

    private Json() {
    }

    static String needle(String field) {
        return "\"" + field + "\":\"";
    }

    static String str(String json, String needle) {
        int i = json.indexOf(needle);
        if (i < 0) {
            return null;
        }
        int start = i + needle.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    /** A non-negative integer field ({@code "name":} with the needle given), or -1 when absent. */
    static long number(String json, String needle) {
        int i = json.indexOf(needle);
        if (i < 0) {
            return -1;
        }
        long value = 0;
        int digits = 0;
        for (int j = i + needle.length(); j < json.length() && Character.isDigit(json.charAt(j)); j++, digits++) {
            value = value * 10 + (json.charAt(j) - '0');
        }
        return digits == 0 ? -1 : value;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
