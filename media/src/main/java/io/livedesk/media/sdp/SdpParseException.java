package io.livedesk.media.sdp;

/**
 * SDP from a client could not be accepted. The message names the offending line (number and a
 * shortened copy) so it can be shown to whoever sent it; {@link #lineNumber()} is 0 when the
 * problem is with the description as a whole.
 */
public final class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 80;

    private final int lineNumber;

    public SdpParseException(int lineNumber, String line, String problem) {
        super(describe(lineNumber, line, problem));
        this.lineNumber = lineNumber;
    }

    public SdpParseException(String problem) {
        super(problem);
        this.lineNumber = 0;
    }

    public int lineNumber() {
        return lineNumber;
    }

    private static String describe(int lineNumber, String line, String problem) {
        return "SDP line " + lineNumber + " (" + quote(line) + "): " + problem;
    }

    /** Shortened and made printable: a hostile line must not flood logs or smuggle control characters. */
    static String quote(String line) {
        String shown = line.length() > MAX_QUOTED ? line.substring(0, MAX_QUOTED) + "…" : line;
        StringBuilder out = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
