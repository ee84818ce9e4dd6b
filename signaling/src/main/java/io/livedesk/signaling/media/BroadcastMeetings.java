package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.live.BroadcastId;

import java.util.Optional;

/**
 * A broadcast's conference on the bridge is the meeting named {@code live-<broadcast id>}: the one place the
 * two ids meet. The prefix keeps livestream meetings apart from calls' (named after the call) in a bridge's
 * conferences, logs and metrics.
 */
public final class BroadcastMeetings {
    private static final String PREFIX = "live-";
    /** Before a further carrier's number: a character no broadcast id holds ({@code ClientMessage.ID}). */
    private static final char CARRIER = '+';

    private BroadcastMeetings() {
    }

    public static MeetingId meetingOf(BroadcastId broadcastId) {
        return new MeetingId(PREFIX + broadcastId.value());
    }

    /**
     * The conference of the broadcast's {@code n}th carrier ({@link ViewerPlacement}): the first is
     * {@link #meetingOf(BroadcastId)}, a further one {@code live-<id>+<n>}, on another bridge. Each has its own
     * meeting id, so that the pool routes each to the bridge that holds it.
     */
    public static MeetingId meetingOf(BroadcastId broadcastId, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("carriers are numbered from 1: " + n);
        }
        return n == 1 ? meetingOf(broadcastId) : new MeetingId(PREFIX + broadcastId.value() + CARRIER + n);
    }

    /** The broadcast a meeting is, if it is one (a bridge may report meetings that are no broadcast of ours). */
    public static Optional<BroadcastId> broadcastOf(MeetingId meetingId) {
        String value = meetingId.value();
        if (!value.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int carrier = value.indexOf(CARRIER);
        return BroadcastId.parse(value.substring(PREFIX.length(), carrier < 0 ? value.length() : carrier));
    }
}
