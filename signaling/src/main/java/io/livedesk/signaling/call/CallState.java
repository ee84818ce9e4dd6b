package io.livedesk.signaling.call;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of a call, from the customer's request to its end. Every allowed transition is listed
 * here, and {@link CallRecord} refuses any other.
 */
public enum CallState {
    QUEUED, OFFERED, CONNECTING, ACTIVE, ENDED;

    public Set<CallState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(OFFERED, ENDED);
            case OFFERED -> EnumSet.of(QUEUED, CONNECTING, ENDED);
            case CONNECTING -> EnumSet.of(ACTIVE, ENDED);
            case ACTIVE -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(CallState.class);
        };
    }

    public boolean canMoveTo(CallState target) {
        return next().contains(target);
    }

    /** Whether the two parties are joined (media is being or has been negotiated). */
    public boolean live() {
        return this == CONNECTING || this == ACTIVE;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
