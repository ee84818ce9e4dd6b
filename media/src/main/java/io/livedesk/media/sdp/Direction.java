package io.livedesk.media.sdp;

import java.util.Optional;

/** Media direction of an m-section, from the point of view of the side that wrote the SDP. */
public enum Direction {
    SENDRECV(true, true), SENDONLY(true, false), RECVONLY(false, true), INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    Direction(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    public boolean sends() {
        return sends;
    }

    public boolean receives() {
        return receives;
    }

    public String attributeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Direction of(boolean sends, boolean receives) {
        if (sends) {
            return receives ? SENDRECV : SENDONLY;
        }
        return receives ? RECVONLY : INACTIVE;
    }

    public static Optional<Direction> fromAttributeName(String name) {
        for (Direction d : values()) {
            if (d.attributeName().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The direction an answerer may use given what the offerer offered (RFC 8866 section 6.7 /
     * RFC 3264 section 6.1): it can only send what the offerer receives and receive what it sends.
     */
    public Direction answerTo(Direction offered) {
        return of(sends && offered.receives, receives && offered.sends);
    }
}
