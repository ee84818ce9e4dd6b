package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ServerMessage;

import java.util.List;
import java.util.Map;

/** Media straight between the browsers: the server only relays SDP and ICE candidates to the other party. */
public final class PeerToPeerRelay implements MediaNegotiator {
    private final MessageRouter router;
    private final List<Map<String, Object>> iceServers;

    public PeerToPeerRelay(MessageRouter router, List<Map<String, Object>> iceServers) {
        this.router = router;
        this.iceServers = List.copyOf(iceServers);
    }

    @Override
    public List<Map<String, Object>> iceServersFor(CallRecord call, Role party) {
        return iceServers;
    }

    @Override
    public void signal(CallRecord call, Subject fromSubject, Role fromRole, ClientMessage.CallSignal signal,
                       Runnable answered) {
        if (signal.sdp() != null && signal.sdp().kind() == ClientMessage.SdpType.ANSWER) {
            answered.run();
        }
        String from = fromSubject.equals(call.customerId()) ? "customer" : "staff";
        router.send(call.peerOf(fromSubject),
                new ServerMessage.CallSignal(call.callId(), from, signal.sdp(), signal.candidate()));
    }

    /**
     * The other party hears at once. Media flows between the browsers, out of the server's sight, so the closed
     * connection is the only sign the server has.
     */
    @Override
    public void away(CallRecord call, Subject subject) {
        tellPeer(call, subject, ServerMessage.PeerStatus.RECONNECTING);
    }

    /** The customer's new page answers the media: the staff member (the initiator) offers afresh. */
    @Override
    public void resumed(CallRecord call, Subject subject) {
        if (subject.equals(call.customerId())) {
            router.send(call.staffId(), new ServerMessage.CallRestart(call.callId()));
        }
        tellPeer(call, subject, ServerMessage.PeerStatus.CONNECTED);
    }

    private void tellPeer(CallRecord call, Subject subject, ServerMessage.PeerStatus status) {
        if (call.isParty(subject)) {
            router.send(call.peerOf(subject), new ServerMessage.CallPeer(call.callId(),
                    subject.equals(call.customerId()) ? "customer" : "staff", status));
        }
    }

    @Override
    public void ended(CallRecord call) {
        // Nothing is held at the server for a peer-to-peer call.
    }
}
