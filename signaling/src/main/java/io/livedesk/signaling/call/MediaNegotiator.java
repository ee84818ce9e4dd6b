package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.protocol.ClientMessage;

import java.util.List;
import java.util.Map;

/**
 * How a call's media is set up. Peer-to-peer relays each party's SDP and candidates to the other; a
 * bridge would answer them itself and build the offers from its transports. The call flow does not
 * change between the two.
 */
public interface MediaNegotiator {

    /** ICE servers handed to a party when the call starts. */
    List<Map<String, Object>> iceServersFor(CallRecord call, Role party);

    /** A party sent an SDP or a candidate for the call. */
    void signal(CallRecord call, String fromSubject, Role fromRole, ClientMessage.CallSignal signal);

    /** The call ended: release whatever media resources it held. */
    void ended(CallRecord call);
}
