package io.livedesk.signaling.auth;

import java.util.Locale;

/** Who a caller is to LiveDesk; it decides which messages and REST calls they may make. */
public enum Role {
    CUSTOMER, STAFF, SUPERVISOR, VIEWER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Customers, and viewers who asked for a consultation from a livestream, hold service requests. */
    public boolean requestsService() {
        return this == CUSTOMER || this == VIEWER;
    }

    /** Staff and supervisors serve customers and take offers. */
    public boolean serves() {
        return this == STAFF || this == SUPERVISOR;
    }
}
