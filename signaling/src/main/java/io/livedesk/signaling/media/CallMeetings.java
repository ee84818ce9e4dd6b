package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.call.CallId;

import java.util.Optional;

/** A bridged call's conference is the meeting named after the call: the one place the two ids meet. */
public final class CallMeetings {
    private CallMeetings() {
    }

    public static MeetingId meetingOf(CallId callId) {
        return new MeetingId(callId.value());
    }

    /** The call a meeting is, if it is one (a bridge may report meetings that are no call of ours). */
    public static Optional<CallId> callOf(MeetingId meetingId) {
        return CallId.parse(meetingId.value());
    }
}
