package io.livedesk.signaling.live;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of a broadcast. Every allowed transition is listed here, and {@link Broadcast} refuses any
 * other: a scheduled broadcast goes live or is cancelled (ends without having been live); a live one ends.
 * An ended broadcast stays ended, so its record and counters are final.
 */
public enum BroadcastState {
    SCHEDULED, LIVE, ENDED;

    public Set<BroadcastState> next() {
        return switch (this) {
            case SCHEDULED -> EnumSet.of(LIVE, ENDED);
            case LIVE -> EnumSet.of(ENDED);
            case ENDED -> EnumSet.noneOf(BroadcastState.class);
        };
    }

    public boolean canMoveTo(BroadcastState target) {
        return next().contains(target);
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
