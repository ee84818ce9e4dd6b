package io.livedesk.signaling.callback;

import java.util.Locale;

/** Where a callback request is: waiting for a staff member, taken by one, or closed with an outcome. */
public enum CallbackState {
    OPEN,
    TAKEN,
    CLOSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
