package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.call.CallId;

import java.util.Optional;

/**
 * A bridged call's conference is the meeting named after the call, and a further one of the call (a side, in another
 * region: {@link CallPlacement}) {@code <call id>+<n>}: the one place the two ids meet.
 */
public final class CallMeetings {
    /** Before a side's number: a character no call id holds. */
    private static final char SIDE = '+';

    private CallMeetings() {
    }

    public static MeetingId meetingOf(CallId callId) {
        return new MeetingId(callId.value());
    }

    /** The call's {@code n}th conference: the first is {@link #meetingOf(CallId)}, a further one {@code <id>+<n>}. */
    public static MeetingId meetingOf(CallId callId, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a call's conferences are numbered from 1: " + n);
        }
        return n == 1 ? meetingOf(callId) : new MeetingId(callId.value() + SIDE + n);
    }

    /** The call a meeting is (its first conference or a side), if it is one (a bridge may report others). */
    public static Optional<CallId> callOf(MeetingId meetingId) {
        String value = meetingId.value();
        int side = value.indexOf(SIDE);
        return CallId.parse(side < 0 ? value : value.substring(0, side));
    }
}
