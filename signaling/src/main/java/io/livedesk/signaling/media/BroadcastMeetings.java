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

    private BroadcastMeetings() {
    }

    public static MeetingId meetingOf(BroadcastId broadcastId) {
        return new MeetingId(PREFIX + broadcastId.value());
    }

    /** The broadcast a meeting is, if it is one (a bridge may report meetings that are no broadcast of ours). */
    public static Optional<BroadcastId> broadcastOf(MeetingId meetingId) {
        String value = meetingId.value();
        return value.startsWith(PREFIX) ? BroadcastId.parse(value.substring(PREFIX.length())) : Optional.empty();
    }
}
