package io.livedesk.media.sdp;

import java.util.List;

/**
 * ICE credentials and options of one side (RFC 8839 section 5.4). Lengths and characters are
 * checked as the RFC requires: ufrag 4–256, pwd 22–256 ice-chars (ALPHA / DIGIT / "+" / "/").
 *
 * @param options ice-options such as {@code trickle}, in order; may be empty
 */
public record IceParameters(String ufrag, String pwd, List<String> options) {
    public IceParameters {
        checkIceChars("ice-ufrag", ufrag, 4);
        checkIceChars("ice-pwd", pwd, 22);
        options = List.copyOf(options);
        options.forEach(o -> SdpSyntax.token("ice-option", o));
    }

    public IceParameters(String ufrag, String pwd) {
        this(ufrag, pwd, List.of());
    }

    private static void checkIceChars(String what, String value, int minLength) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (value.length() < minLength || value.length() > 256) {
            throw new IllegalArgumentException(what + " must be " + minLength + " to 256 characters, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isIceChar(value.charAt(i))) {
                throw new IllegalArgumentException(what + " may only contain letters, digits, '+' and '/'");
            }
        }
    }

    static boolean isIceChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
