package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ClientMessage;

/**
 * Media work for a call that arrived on a node other than the one holding the call's media state
 * ({@link CallRecord#mediaNode()}), handed to that node (see {@link MediaHandoff}).
 *
 * @param subject   who sent the signal, left, went away or came back; null for {@link Kind#ENDED}
 * @param signalId  the id of the client's {@code call.signal} message, so an error can be matched to it
 * @param region    the region of whoever sent the signal ({@code Principal#region}); null when unknown or not a signal
 */
public record MediaTask(Kind kind, CallId callId, Subject subject, Role role, String signalId,
                        ClientMessage.CallSignal signal, String region) {

    public enum Kind { SIGNAL, LEFT, ENDED, RESUMED, AWAY }

    static MediaTask signal(CallId callId, Subject subject, Role role, String region, ClientMessage.CallSignal signal) {
        return new MediaTask(Kind.SIGNAL, callId, subject, role, signal.id(), signal, region);
    }

    static MediaTask of(Kind kind, CallId callId, Subject subject) {
        return new MediaTask(kind, callId, subject, null, null, null, null);
    }
}
