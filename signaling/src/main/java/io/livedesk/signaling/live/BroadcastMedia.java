package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ClientMessage;

/**
 * The media of live broadcasts, through the bridge: one bridge conference per broadcast, the stage's legs
 * sending and every viewer's leg receiving only. As for calls in bridge mode only browsers offer; answers
 * go back as {@code broadcast.signal}, and {@code broadcast.renegotiate} asks a browser to offer again when
 * the stage's tracks change.
 *
 * <p>The state of a broadcast's legs lives on one node, {@link Broadcast#mediaNode()}; an implementation
 * hands work that arrives elsewhere to that node. Every method runs on a worker thread, never on a Netty
 * event loop.
 */
public interface BroadcastMedia {

    /**
     * Answers an offer from a stage member ({@code broadcast.onStage(from)}: sends and receives the other
     * stage members' tracks) or from a viewer (receives the stage's tracks; every section answered
     * {@code sendonly} or {@code inactive}, and nothing it sends is forwarded). The answer is sent to
     * {@code from} as a {@code broadcast.signal} event.
     *
     * <p>On the broadcast's media node the offer is answered before this returns, and a refusal is thrown.
     * Elsewhere it is handed to that node and this returns at once (acknowledge the request): a refusal
     * there reaches {@code from} as an {@code error} event carrying {@code requestId}.
     *
     * @param requestId the id of the client's {@code broadcast.signal}, which an error met on another node
     *                  carries back to it
     * @throws io.livedesk.signaling.protocol.ProtocolException {@code bad_sdp} for an offer that cannot be
     *         read or answered, {@code invalid_state} when the broadcast is not live, {@code broadcast_full}
     *         when the broadcast's bridges take no more viewers, {@code unavailable} when no bridge answers,
     *         {@code not_supported} without a bridge
     */
    void offer(Broadcast broadcast, Subject from, ClientMessage.Sdp sdp, String requestId);

    /** The subject left the broadcast (or was removed, or expired, or stepped off stage): its leg goes. */
    void left(Broadcast broadcast, Subject subject);

    /**
     * The subject's page shows the broadcast's video at {@code maxHeight} pixels (0: no limit), so its leg gets
     * simulcast layers no taller. Nothing when it has no leg yet; a later offer's leg does not inherit it (the
     * page reports its size again once its media plays).
     */
    default void view(Broadcast broadcast, Subject subject, int maxHeight) {
    }

    /** The broadcast ended: its conference and every leg go. */
    void ended(Broadcast broadcast);

    /** For a node without a media bridge: every offer is refused with {@code not_supported}. */
    BroadcastMedia NONE = new BroadcastMedia() {
        @Override
        public void offer(Broadcast broadcast, Subject from, ClientMessage.Sdp sdp, String requestId) {
            throw new io.livedesk.signaling.protocol.ProtocolException(
                    io.livedesk.signaling.protocol.ErrorCode.NOT_SUPPORTED, "livestream media needs the media bridge");
        }

        @Override
        public void left(Broadcast broadcast, Subject subject) {
        }

        @Override
        public void ended(Broadcast broadcast) {
        }
    };
}
