package io.livedesk.media.sdp;

/**
 * What the bridge wants from one m-section of a browser's offer: only to receive the browser's media,
 * to send it a forwarded track on the same section (and receive too, or not), or nothing at all.
 *
 * <p>The direction is what the bridge would like; the answer never exceeds what the offer allows
 * ({@link Direction#answerTo}), so a track meant for a section the browser cannot receive on is left
 * out. A livestream viewer is answered only with {@link #sendOnly} and {@link #inactive}: nothing it
 * sends is ever taken.
 *
 * @param sending the track the bridge sends on this section; null when it sends nothing
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

    /** The bridge sends {@code track} here and takes nothing the browser sends on this section. */
    public static AnswerIntent sendOnly(ForwardedTrack track) {
        if (track == null) {
            throw new IllegalArgumentException("a send-only section needs a track");
        }
        return new AnswerIntent(Direction.SENDONLY, track);
    }

    /** The section is accepted (it stays in the BUNDLE for a later offer) but no media flows either way. */
    public static AnswerIntent inactive() {
        return new AnswerIntent(Direction.INACTIVE, null);
    }
}
