package io.livedesk.signaling.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token grants beyond its role, in its {@code permissions} claim. Roles say who someone is; a
 * permission is a grant the bank gives some of them (not every staff member hosts livestreams). Only
 * staff and supervisors carry permissions.
 */
public enum Permission {
    /** Create broadcasts, and go live with and end one's own. */
    LIVESTREAM;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The permission of this wire name, if it is one this version knows. */
    public static Optional<Permission> fromWire(String s) {
        return Arrays.stream(values()).filter(p -> p.wire().equals(s)).findFirst();
    }
}
