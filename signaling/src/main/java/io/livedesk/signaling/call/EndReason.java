package io.livedesk.signaling.call;

import java.util.Locale;

/** Why a call (or a request that never became one) ended. Stable: it is in records and on the wire. */
public enum EndReason {
    CUSTOMER_CANCELLED,
    CUSTOMER_HANGUP,
    STAFF_HANGUP,
    CUSTOMER_DISCONNECTED,
    STAFF_DISCONNECTED,
    SERVER_SHUTDOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
