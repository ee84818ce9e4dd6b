package io.livedesk.media.api;

import java.util.Locale;

/**
 * Whether an endpoint's media reaches the bridge, as {@link Bridge#mediaStatus} reports it. Signaling
 * reads it to tell the other participants that someone dropped long before the transport is expired.
 */
public enum MediaFlow {
    /** Nothing has arrived from the endpoint yet: ICE and DTLS may still be under way. */
    CONNECTING,
    /** Packets arrived within the bridge's media timeout. */
    FLOWING,
    /**
     * Media had arrived and then stopped for longer than the media timeout, or ICE failed: the browser
     * went away (page closed, network lost) or can no longer reach the bridge.
     */
    STOPPED;

    /** The lower-case name used on the wire ({@code "flowing"}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@link #wire()}, or empty for anything else. */
    public static java.util.Optional<MediaFlow> fromWire(String value) {
        for (MediaFlow f : values()) {
            if (f.wire().equals(value)) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
