package io.livedesk.media.api;

import java.util.Locale;
import java.util.Optional;

/** The {@code a=setup} DTLS role (RFC 4145, RFC 5763 section 5, RFC 8842). */
public enum SetupRole {
    ACTIVE, PASSIVE, ACTPASS, HOLDCONN;

    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SetupRole> fromAttributeValue(String value) {
        for (SetupRole r : values()) {
            if (r.attributeValue().equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
