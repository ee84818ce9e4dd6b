package io.livedesk.signaling.presence;

import java.util.Locale;

/**
 * A staff member's status as the console shows it. Staff choose {@link #AVAILABLE} or {@link #AWAY};
 * {@link #BUSY} is derived (available but at capacity) and {@link #OFFLINE} is set by the server when
 * a member signs out or their connection stayed away past the grace period.
 */
public enum StaffStatus {
    AVAILABLE, BUSY, AWAY, OFFLINE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StaffStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
