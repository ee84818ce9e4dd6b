package io.livedesk.signaling.media;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.protocol.ClientMessage;

/**
 * Livestream media work that arrived on a node other than the broadcast's media node, handed to that node
 * (see {@link ClusterBroadcastMedia}). It carries the broadcast's record as the sending node saw it, so the
 * media node answers from the same stage without reading the store again.
 *
 * @param subject   who offered or left; null for {@link Kind#ENDED}
 * @param requestId the id of the client's {@code broadcast.signal}, so that an error can be matched to it
 * @param sdp       the offer, for {@link Kind#OFFER} only
 * @param maxHeight the height the subject's page shows video at, for {@link Kind#VIEW} only
 */
public record BroadcastMediaTask(Kind kind, Broadcast broadcast, Subject subject, String requestId,
                                 ClientMessage.Sdp sdp, int maxHeight) {

    public enum Kind { OFFER, LEFT, ENDED, VIEW }

    static BroadcastMediaTask offer(Broadcast broadcast, Subject from, ClientMessage.Sdp sdp, String requestId) {
        return new BroadcastMediaTask(Kind.OFFER, broadcast, from, requestId, sdp, 0);
    }

    static BroadcastMediaTask left(Broadcast broadcast, Subject subject) {
        return new BroadcastMediaTask(Kind.LEFT, broadcast, subject, null, null, 0);
    }

    static BroadcastMediaTask ended(Broadcast broadcast) {
        return new BroadcastMediaTask(Kind.ENDED, broadcast, null, null, null, 0);
    }

    static BroadcastMediaTask view(Broadcast broadcast, Subject subject, int maxHeight) {
        return new BroadcastMediaTask(Kind.VIEW, broadcast, subject, null, null, maxHeight);
    }

    @Override
    public String toString() {
        return "broadcast " + broadcast.id() + ": media task " + kind;
    }
}
