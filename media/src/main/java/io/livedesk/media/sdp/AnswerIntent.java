package io.livedesk.media.sdp;

/**
 * What the bridge wants from one m-section of a browser's offer: only to receive the browser's
 * media, or also to send it a forwarded track on the same section.
 *
 * @param sending the track the bridge sends on this section; null when it only receives
 */
public record AnswerIntent(Direction direction, ForwardedTrack sending) {
    public AnswerIntent {
        if (direction == null) {
            throw new IllegalArgumentException("direction is missing");
        }
        if (sending != null && !direction.sends()) {
            throw new IllegalArgumentException("a forwarded track needs a sending direction");
        }
    }

    public static AnswerIntent receiveOnly() {
        return new AnswerIntent(Direction.RECVONLY, null);
    }

    public static AnswerIntent sendReceive(ForwardedTrack track) {
        return new AnswerIntent(Direction.SENDRECV, track);
    }
}
