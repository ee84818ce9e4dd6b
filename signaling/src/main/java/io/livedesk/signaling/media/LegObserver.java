package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;

/**
 * Hears of the legs of bridged calls as the {@link BridgeNegotiator} creates and drops them, on the node
 * holding the call's media: what the audio tap (transcription) follows. Called with the call's lock held:
 * implementations must not block or call back into the negotiator.
 */
public interface LegObserver {
    LegObserver NONE = new LegObserver() {
        @Override
        public void legUp(CallRecord call, Subject subject, String endpointId) {
        }

        @Override
        public void legDown(CallId callId, String endpointId) {
        }
    };

    /** A participant's endpoint was created on the bridge (its first offer, or a new page's). */
    void legUp(CallRecord call, Subject subject, String endpointId);

    /**
     * As {@link #legUp(CallRecord, Subject, String)}, the endpoint being on {@code conference}: the call's own
     * ({@link CallMeetings#meetingOf(io.livedesk.signaling.call.CallId)}) or a side of it in another region.
     */
    default void legUp(CallRecord call, Subject subject, String endpointId, MeetingId conference) {
        legUp(call, subject, endpointId);
    }

    /** The endpoint was expired or forgotten (the participant left, reloaded, the call ended, the bridge died). */
    void legDown(CallId callId, String endpointId);
}
