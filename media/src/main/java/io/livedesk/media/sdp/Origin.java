package io.livedesk.media.sdp;

/**
 * The {@code o=} line (RFC 8866 section 5.2). The session id is kept as text because browsers
 * use up to 64-bit values; the version must grow with every re-offer (JSEP section 5.2.2).
 */
public record Origin(String username, String sessionId, long sessionVersion,
                     String netType, String addressType, String address) {
    public Origin {
        SdpSyntax.token("origin username", username);
        SdpSyntax.token("origin session id", sessionId);
        if (!sessionId.chars().allMatch(Character::isDigit) || sessionId.length() > 20) {
            throw new IllegalArgumentException("origin session id must be a number");
        }
        SdpSyntax.inRange("origin session version", sessionVersion, 0, Long.MAX_VALUE);
        SdpSyntax.token("origin network type", netType);
        SdpSyntax.token("origin address type", addressType);
        SdpSyntax.token("origin address", address);
    }

    /** What JSEP implementations write: no user name, IPv4 127.0.0.1 as a placeholder address. */
    public static Origin of(String sessionId, long sessionVersion) {
        return new Origin("-", sessionId, sessionVersion, "IN", "IP4", "127.0.0.1");
    }

    public String lineValue() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addressType + " " + address;
    }
}
