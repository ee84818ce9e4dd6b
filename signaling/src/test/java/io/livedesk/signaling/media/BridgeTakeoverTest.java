package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import io.livedesk.signaling.testing.FakeBridge;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridged call's media state in the {@link CallMediaStore} and a second {@link BridgeNegotiator} ("node-b",
 * sharing the store, the bridge and the clients) taking the call over from it, as the node that claims a dead
 * media node does. Against a {@link FakeBridge}; over real nodes, Redis and a bridge: {@link MediaTakeoverIT}.
 */
class BridgeTakeoverTest {
    private static final BrowserOffer CUSTOMER_PAGE = BrowserOffer.of("custpage", 1);
    private static final BrowserOffer STAFF_PAGE = BrowserOffer.of("staffpage", 2);
    private static final Pattern ORIGIN = Pattern.compile("(?m)^o=- (\\d+) (\\d+) ");

    private final CallFlowFixture fx = CallFlowFixture.bridged();
    private EmbeddedClient customer;
    private EmbeddedClient staff;
    private CallId callId;
    private BridgeNegotiator nodeB;

    @BeforeEach
    void callWithBothLegs() {
        customer = fx.signIn(customer("cust-wei"));
        staff = fx.signIn(staff("agent-zhang"));
        callId = fx.call(customer, staff);
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);
        fx.offer(customer, callId, CUSTOMER_PAGE);
        nodeB = new BridgeNegotiator(fx.bridge, fx.router, List.of(), LegObserver.NONE, false, fx.callMedia, "node-b");
    }

    @Test
    void everyAnswerIsStoredWithWhatAnotherNodeNeedsToGoOn() {
        CallMediaState state = fx.callMedia.get(callId).orElseThrow();
        assertEquals(CallFlowFixture.NODE_ID, state.node());
        assertEquals(3, state.revision(), "one write per answer");
        assertEquals("fake-bridge", state.bridgeMember());
        assertEquals(callId.value(), state.meetingId());
        assertEquals(Map.of("customer", 1, "staff", 1), state.endpointsCreated());
        CallMediaState.LegState leg = state.legs().get(0);
        assertEquals("customer", leg.endpointId());
        assertEquals(Subject.of("cust-wei"), leg.subject());
        assertEquals("custpage", leg.ufrag());
        assertEquals(FakeBridge.ufragOf("customer"), leg.bridgeSide().ufrag());
        Matcher answered = origin(answerTo(customer));
        assertEquals(answered.group(1), leg.sessionId());
        assertEquals(Long.parseLong(answered.group(2)), leg.version());
        assertEquals(2, leg.tracks().size(), "its audio and video");
        assertEquals(2, leg.answeredWith().size(), "the staff member's audio and video");
        assertEquals("staff-1", state.legs().get(1).endpointId());
    }

    @Test
    void theNodeThatTakesOverAnswersFromTheSameEndpointsWithALaterVersion() {
        String before = answerTo(customer);
        int requests = fx.bridge.requests().size();
        customer.clear();
        staff.clear();

        nodeB.takeOver(record());

        JsonNode ask = customer.lastOf("call.renegotiate");
        assertTrue(ask.path("iceRestart").isMissingNode(), "the same transport goes on: " + ask);
        assertFalse(staff.received("call.renegotiate").isEmpty());
        assertEquals(fx.bridge.requests().size(), requests, "adopting the conference asks the bridge nothing else");
        assertEquals("node-b", fx.callMedia.get(callId).orElseThrow().node(), "claimed in the store");

        signalOnB(customer, CUSTOMER_PAGE);

        String after = answerTo(customer);
        assertTrue(after.contains("a=ice-ufrag:" + FakeBridge.ufragOf("customer")), after);
        assertEquals(origin(before).group(1), origin(after).group(1), "the same SDP session");
        assertTrue(Long.parseLong(origin(after).group(2)) > Long.parseLong(origin(before).group(2)));
        assertTrue(after.contains("a=ssrc:21 "), "still receives the staff member: " + after);
        EndpointRequest update = fx.bridge.endpointRequests().get(fx.bridge.endpointRequests().size() - 1);
        assertEquals("customer", update.id());
        assertFalse(update.create() || update.expire(), "the same endpoint: " + update);
        assertEquals(List.of("customer", "staff-1"), fx.bridge.endpoints(callId.value()));
        assertEquals(1, fx.bridge.stats().conferences());
    }

    @Test
    void theNodeThatLostTheCallLetsItGoWithoutTouchingTheBridge() {
        nodeB.takeOver(record());
        customer.clear();

        // Node A was only slow: its next write finds node B's, so it refuses and forgets the call.
        ProtocolException e = assertThrows(ProtocolException.class, () -> fx.offer(customer, callId, CUSTOMER_PAGE));
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertFalse(fx.negotiator.holds(CallMeetings.meetingOf(callId)));
        assertTrue(nodeB.holds(CallMeetings.meetingOf(callId)));
        assertEquals("node-b", fx.callMedia.get(callId).orElseThrow().node());
        assertTrue(fx.bridge.hasConference(callId.value()));
        assertEquals(List.of("customer", "staff-1"), fx.bridge.endpoints(callId.value()));
    }

    @Test
    void aConferenceGoneFromItsBridgeIsLostAsOnFailoverAndComesBackWithFreshEndpointIds() {
        fx.bridge.forgetEverything();
        customer.clear();

        nodeB.takeOver(record());

        assertTrue(customer.lastOf("call.renegotiate").path("iceRestart").asBoolean(), "restart ICE on a new leg");
        assertTrue(staff.lastOf("call.renegotiate").path("iceRestart").asBoolean());
        assertEquals(List.of(), fx.callMedia.get(callId).orElseThrow().legs());
        signalOnB(customer, CUSTOMER_PAGE.withUfrag("custpage2"));
        assertEquals(List.of("customer-2"), fx.bridge.endpoints(callId.value()), "numbered on from the stored count");

        // The staff member was not back when asked: they are asked again when they resume, the customer not.
        staff.clear();
        customer.clear();
        nodeB.resumed(record(), Subject.of("agent-zhang"));
        nodeB.resumed(record(), Subject.of("cust-wei"));
        assertTrue(staff.lastOf("call.renegotiate").path("iceRestart").asBoolean());
        assertTrue(customer.received("call.renegotiate").isEmpty(), "the customer offered already");
    }

    @Test
    void aPartyWhoResumesAfterTheTakeoverIsAskedToOfferAgainUntilAnswered() {
        nodeB.takeOver(record());
        customer.clear();

        nodeB.resumed(record(), Subject.of("cust-wei"));
        assertEquals(1, customer.received("call.renegotiate").size());

        signalOnB(customer, CUSTOMER_PAGE);
        customer.clear();
        nodeB.resumed(record(), Subject.of("cust-wei"));
        assertTrue(customer.received("call.renegotiate").isEmpty(), "answered by this node already");
    }

    @Test
    void endingTheCallRemovesItsStoredState() {
        fx.calls.end(callId, EndReason.STAFF_HANGUP, null);

        assertEquals(Optional.empty(), fx.callMedia.get(callId));
        assertFalse(fx.bridge.hasConference(callId.value()));
    }

    @Test
    void aCallTakenOverAndEndedBeforeItsFirstUseStillHasItsConferenceExpired() {
        nodeB.ended(record());

        assertTrue(fx.bridge.expiredConferences().contains(callId.value()));
        assertEquals(Optional.empty(), fx.callMedia.get(callId));
    }

    private CallRecord record() {
        return fx.record(callId);
    }

    private void signalOnB(EmbeddedClient from, BrowserOffer page) {
        nodeB.signal(record(), from.principal().subject(), from.principal().role(), new ClientMessage.CallSignal(
                from.nextId(), callId, new ClientMessage.Sdp("offer", page.sdp()), null), () -> {
        });
    }

    private static String answerTo(EmbeddedClient party) {
        return party.lastOf("call.signal").path("sdp").path("sdp").asText();
    }

    private static Matcher origin(String sdp) {
        Matcher m = ORIGIN.matcher(sdp);
        assertTrue(m.find(), sdp);
        return m;
    }
}
