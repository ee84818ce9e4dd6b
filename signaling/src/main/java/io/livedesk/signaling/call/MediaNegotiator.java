package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ClientMessage;

import java.util.List;
import java.util.Map;

/**
 * How a call's media is set up. Peer-to-peer relays each party's SDP and candidates to the other; a
 * bridge answers each party's offers itself from the party's bridge transport and the other party's
 * sources. The call flow does not change between the two.
 *
 * <p>Every method runs on a worker or timer thread, never on a Netty event loop.
 */
public interface MediaNegotiator {

    /** ICE servers handed to a party when the call starts. */
    List<Map<String, Object>> iceServersFor(CallRecord call, Role party);

    /** Whether the party creates the SDP offers of its media ({@code initiator} in {@code call.started}). */
    default boolean offers(Role party) {
        return party != Role.CUSTOMER;
    }

    /** The {@code media} field of {@code call.started}: null for peer-to-peer (the field is left out). */
    default String mode() {
        return null;
    }

    /** Whether offers may go before ICE gathering ends, candidates following ({@code trickle} in call.started). */
    default boolean trickle() {
        return false;
    }

    /**
     * A party sent an SDP or a candidate for the call.
     *
     * @param answered run once, before the answer is passed on, when this signal leads to an SDP answer
     *                 (so the call becomes active before anyone sees the answer)
     */
    void signal(CallRecord call, Subject fromSubject, Role fromRole, ClientMessage.CallSignal signal, Runnable answered);

    /**
     * As {@link #signal(CallRecord, Subject, Role, ClientMessage.CallSignal, Runnable)}, from a party in
     * {@code fromRegion} ({@code Principal#region}; null when unknown), which a bridged call places media by.
     */
    default void signal(CallRecord call, Subject fromSubject, Role fromRole, String fromRegion,
                        ClientMessage.CallSignal signal, Runnable answered) {
        signal(call, fromSubject, fromRole, signal, answered);
    }

    /**
     * Whether more than the customer and one staff member can be in the call: supervisors joining, and
     * transfers (the next staff member joins before the current one leaves). Needs the media at the server.
     */
    default boolean supportsParticipants() {
        return false;
    }

    /**
     * Whether each participant's tracks reach the others under the stream id {@link CallStreams} gives them
     * (the bridge answers so), which participant lists then carry; peer-to-peer leaves the browsers' own.
     */
    default boolean namesStreams() {
        return false;
    }

    /**
     * Whether the negotiator keeps per-call state in this node's memory, so that all of a call's media work
     * must run on one node (the bridge keeps each leg's last offer; peer-to-peer keeps nothing).
     */
    default boolean nodeLocal() {
        return false;
    }

    /** A participant left a live call that goes on (a supervisor, or the staff member after a transfer). */
    default void left(CallRecord call, Subject subject) {
    }

    /**
     * A party's connection closed during the call (page closed, network lost): they may come back within the
     * reconnect grace, and the others are told meanwhile ({@code call.peer}).
     */
    default void away(CallRecord call, Subject subject) {
    }

    /** A party came back on a new connection during the call and was handed the call again. */
    default void resumed(CallRecord call, Subject subject) {
    }

    /**
     * This node became the call's media node because the one that held it died ({@link CallRecord#mediaNode()}
     * was moved here): take up what that node kept of the call's media and go on from it. Nothing for a
     * negotiator that keeps no state.
     */
    default void takeOver(CallRecord call) {
    }

    /** The call ended: release whatever media resources it held. */
    void ended(CallRecord call);
}
