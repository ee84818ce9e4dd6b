package io.livedesk.signaling.callback;

import java.util.Locale;
import java.util.Optional;

/** How a staff member closed a callback request. Stable: it is in records and on the wire. */
public enum CallbackOutcome {
    /** The customer was reached and helped. */
    REACHED,
    /** Tried; nobody answered. */
    NO_ANSWER,
    /** The customer no longer needed it, or the request was not one the bank can act on. */
    NOT_NEEDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CallbackOutcome> parse(String wire) {
        for (CallbackOutcome o : values()) {
            if (o.wire().equals(wire)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
