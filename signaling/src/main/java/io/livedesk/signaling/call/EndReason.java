package io.livedesk.signaling.call;

import java.util.Locale;

/** Why a call (or a request that never became one) ended. Stable: it is in records and on the wire. */
public enum EndReason {
    CUSTOMER_CANCELLED,
    /** The customer waited {@code routing.max-wait} and the queue let them go (with the offer of a callback). */
    MAX_WAIT,
    CUSTOMER_HANGUP,
    STAFF_HANGUP,
    CUSTOMER_DISCONNECTED,
    STAFF_DISCONNECTED,
    SERVER_SHUTDOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
