package io.livedesk.signaling.media;

import io.livedesk.signaling.async.Stages;
import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.CallStreams;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import io.livedesk.signaling.testing.FakeBridge;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static io.livedesk.signaling.testing.CallFlowFixture.supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BridgeNegotiator} in a call as {@code CallService} drives it, against a {@link FakeBridge}: what
 * it asks of the bridge for each offer, leave and end, and what each participant's browser is sent.
 * Endpoint ids are the negotiator's: {@code customer}, {@code staff-1}, {@code supervisor-1}, … .
 */
class BridgeNegotiatorTest {

    private static final BrowserOffer CUSTOMER_PAGE = BrowserOffer.of("custpage", 1);
    private static final BrowserOffer STAFF_PAGE = BrowserOffer.of("staffpage", 2);
    private static final BrowserOffer SUPERVISOR_PAGE = BrowserOffer.of("suppage", 3);

    private final CallFlowFixture fx = CallFlowFixture.bridged();
    private EmbeddedClient customer;
    private EmbeddedClient staff;
    private CallId callId;

    @BeforeEach
    void answeredCall() {
        customer = fx.signIn(customer("cust-wei"));
        staff = fx.signIn(staff("agent-zhang"));
        callId = fx.call(customer, staff);
    }

    @Test
    void theFirstOfferCreatesTheConferenceAndTheEndpointAndIsAnsweredFromIt() {
        fx.offer(customer, callId, CUSTOMER_PAGE);

        assertEquals(List.of("customer"), fx.bridge.endpoints(callId.value()));
        EndpointRequest created = last(fx.bridge.endpointRequests());
        assertTrue(created.create());
        assertEquals("custpage", created.remoteTransport().ufrag());
        assertEquals(List.of(11L, 12L, 13L), ssrcs(fx.bridge.sourcesOf(callId.value(), "customer").orElseThrow()));
        String answer = answerTo(customer);
        assertTrue(answer.contains("a=ice-ufrag:" + FakeBridge.ufragOf("customer")), answer);
        assertTrue(answer.contains("a=setup:passive"), answer);
        assertFalse(answer.contains("a=ssrc:"), "nobody else sends yet: " + answer);
        assertEquals(CallState.ACTIVE, fx.record(callId).state());
        assertTrue(staff.received().isEmpty(), "the staff member has no leg to renegotiate yet");
    }

    @Test
    void eachPartyIsAnsweredWithTheOtherPartysSources() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);

        String toStaff = answerTo(staff);
        assertTrue(toStaff.contains("a=ice-ufrag:" + FakeBridge.ufragOf("staff-1")), toStaff);
        assertTrue(toStaff.contains("a=ssrc:11 "), "the customer's audio: " + toStaff);
        assertTrue(toStaff.contains("a=ssrc:12 "), "the customer's video: " + toStaff);
        assertTrue(toStaff.contains("a=ssrc-group:FID 12 13"), "with its RTX: " + toStaff);
        assertEquals(List.of("customer", "staff-1"), fx.bridge.endpoints(callId.value()));
        JsonNode renegotiate = customer.lastOf("call.renegotiate");
        assertEquals(1, renegotiate.path("receive").path("audio").asInt());
        assertEquals(1, renegotiate.path("receive").path("video").asInt());
        assertTrue(renegotiate.path("iceRestart").isMissingNode());

        customer.clear();
        staff.clear();
        fx.offer(customer, callId, CUSTOMER_PAGE);

        String toCustomer = answerTo(customer);
        assertTrue(toCustomer.contains("a=ssrc:21 ") && toCustomer.contains("a=ssrc:22 "), toCustomer);
        EndpointRequest update = last(fx.bridge.endpointRequests());
        assertEquals("customer", update.id());
        assertFalse(update.create() || update.expire(), "the same page keeps its endpoint: " + update);
        assertEquals(List.of("customer", "staff-1"), fx.bridge.endpoints(callId.value()));
        assertTrue(customer.received("call.renegotiate").isEmpty());
        assertTrue(staff.received().isEmpty(), "nothing changed for the staff member: " + staff.received());
    }

    @Test
    void eachParticipantsTracksReachTheOthersUnderTheStreamIdTheParticipantListsGive() {
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        ServerMessage.CallStarted joined = fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", callId, "barge"));
        fx.offer(customer, callId, CUSTOMER_PAGE.receiving(2, 2));
        fx.offer(staff, callId, STAFF_PAGE.receiving(2, 2));
        fx.offer(sup, callId, SUPERVISOR_PAGE.receiving(2, 2));
        fx.offer(customer, callId, CUSTOMER_PAGE.receiving(2, 2));

        CallRecord call = fx.record(callId);
        String toCustomer = answerTo(customer);
        String staffStream = CallStreams.of(call, Subject.of("agent-zhang"));
        String supStream = CallStreams.of(call, Subject.of("sup-chen"));
        assertTrue(toCustomer.contains("a=msid:" + staffStream + " audio-2"), toCustomer);
        assertTrue(toCustomer.contains("a=msid:" + staffStream + " video-2"), toCustomer);
        assertTrue(toCustomer.contains("a=ssrc:32 msid:" + supStream + " video-3"), toCustomer);
        assertFalse(toCustomer.contains("stream-2") || toCustomer.contains("stream-3"), "never the browsers' own ids");
        assertEquals(supStream, joined.participants().get(2).stream());
        assertEquals(supStream, customer.lastOf("call.participants").path("participants").get(2).path("stream").asText());
        assertTrue(answerTo(sup).contains("a=msid:" + CallStreams.of(call, Subject.of("cust-wei")) + " video-1"));
    }

    @Test
    void newSourcesAskTheOthersToOfferAgain() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);
        fx.offer(customer, callId, CUSTOMER_PAGE);
        customer.clear();

        fx.offer(staff, callId, STAFF_PAGE.withSeed(7)); // another camera and microphone

        assertEquals(List.of(71L, 72L, 73L), ssrcs(fx.bridge.sourcesOf(callId.value(), "staff-1").orElseThrow()));
        assertEquals(1, customer.received("call.renegotiate").size());
        fx.offer(customer, callId, CUSTOMER_PAGE);
        String toCustomer = answerTo(customer);
        assertTrue(toCustomer.contains("a=ssrc:72 "), toCustomer);
        assertFalse(toCustomer.contains("a=ssrc:22 "), toCustomer);
    }

    @Test
    void tooFewSectionsForEveryonesTracksAsksForAnOfferWithMore() {
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", callId, "barge"));
        fx.offer(staff, callId, STAFF_PAGE);
        fx.offer(sup, callId, SUPERVISOR_PAGE);
        customer.clear();

        fx.offer(customer, callId, CUSTOMER_PAGE);

        String firstAnswer = answerTo(customer);
        assertTrue(firstAnswer.contains("a=ssrc:21 ") && !firstAnswer.contains("a=ssrc:31 "),
                "one section of each kind: the first to join fills it: " + firstAnswer);
        JsonNode more = customer.lastOf("call.renegotiate");
        assertEquals(2, more.path("receive").path("audio").asInt());
        assertEquals(2, more.path("receive").path("video").asInt());

        customer.clear();
        fx.offer(customer, callId, CUSTOMER_PAGE.receiving(2, 2));

        String fullAnswer = answerTo(customer);
        assertTrue(fullAnswer.contains("a=ssrc:21 ") && fullAnswer.contains("a=ssrc:31 "), fullAnswer);
        assertTrue(customer.received("call.renegotiate").isEmpty());
    }

    @Test
    void aParticipantLeavingHasTheirEndpointExpiredAndTheOthersOfferWithoutThem() {
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", callId, "barge"));
        fx.offer(customer, callId, CUSTOMER_PAGE.receiving(2, 2));
        fx.offer(staff, callId, STAFF_PAGE.receiving(2, 2));
        fx.offer(sup, callId, SUPERVISOR_PAGE.receiving(2, 2));
        fx.offer(customer, callId, CUSTOMER_PAGE.receiving(2, 2));
        fx.offer(staff, callId, STAFF_PAGE.receiving(2, 2));
        customer.clear();
        staff.clear();

        fx.calls.leave(sup.principal(), callId, "l1");

        assertTrue(fx.bridge.endpointRequests().stream().anyMatch(e -> e.id().equals("supervisor-1") && e.expire()));
        assertEquals(List.of("customer", "staff-1"), fx.bridge.endpoints(callId.value()));
        for (EmbeddedClient party : List.of(customer, staff)) {
            JsonNode renegotiate = party.lastOf("call.renegotiate");
            assertEquals(1, renegotiate.path("receive").path("audio").asInt());
            assertEquals(1, renegotiate.path("receive").path("video").asInt());
        }
    }

    @Test
    void theFormerStaffMembersEndpointGoesWhenATransferIsTaken() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);
        EmbeddedClient next = fx.availableStaff(staff("agent-li", "cards"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", callId, "cards", "en", null));

        fx.accept(next, CallFlowFixture.lastOfferTo(next));

        assertEquals(List.of("customer"), fx.bridge.endpoints(callId.value()));
        fx.offer(next, callId, BrowserOffer.of("nextpage", 4));
        assertEquals(List.of("customer", "staff-2"), fx.bridge.endpoints(callId.value()), "a new endpoint id, never reused");
        assertTrue(answerTo(next).contains("a=ssrc:11 "), "the new staff member receives the customer");
    }

    @Test
    void theCallEndingExpiresTheConference() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);

        Stages.await(fx.calls.hangup(customer.principal(), callId, "h1"));

        assertEquals(List.of(callId.value()), fx.bridge.expiredConferences());
        assertFalse(fx.bridge.hasConference(callId.value()));
        int requests = fx.bridge.requests().size();
        assertRefused(ErrorCode.INVALID_STATE, () -> fx.offer(staff, callId, STAFF_PAGE));
        assertEquals(requests, fx.bridge.requests().size(), "nothing is created for an ended call");
    }

    @Test
    void aNewPageOrIceRestartGetsAFreshEndpoint() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);

        fx.offer(customer, callId, CUSTOMER_PAGE.withUfrag("reloaded"));

        assertTrue(fx.bridge.endpointRequests().stream().anyMatch(e -> e.id().equals("customer") && e.expire()));
        assertEquals(List.of("staff-1", "customer-2"), fx.bridge.endpoints(callId.value()));
        assertTrue(answerTo(customer).contains("a=ice-ufrag:" + FakeBridge.ufragOf("customer-2")));
    }

    @Test
    void anEndpointTheBridgeDroppedIsCreatedAgain() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.bridge.forgetEndpoint(callId.value(), "customer");
        customer.clear();

        fx.offer(customer, callId, CUSTOMER_PAGE);

        assertEquals(List.of("customer"), fx.bridge.endpoints(callId.value()));
        assertTrue(answerTo(customer).contains("a=ice-ufrag:" + FakeBridge.ufragOf("customer")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not sdp", "no bundle", "no ice credentials", "no media", "an answer"})
    void unusableSdpIsABadSdpErrorAndAsksNothingOfTheBridge(String kind) {
        String good = CUSTOMER_PAGE.sdp();
        ClientMessage.Sdp sdp = switch (kind) {
            case "not sdp" -> new ClientMessage.Sdp("offer", "v=0\r\nthis is not SDP\r\n");
            case "no bundle" -> new ClientMessage.Sdp("offer", good.replaceAll("a=group:BUNDLE[^\r]*\r\n", ""));
            case "no ice credentials" -> new ClientMessage.Sdp("offer", good.replaceAll("a=ice-(ufrag|pwd):[^\r]*\r\n", ""));
            case "no media" -> new ClientMessage.Sdp("offer", good.substring(0, good.indexOf("m=audio")));
            case "an answer" -> new ClientMessage.Sdp("answer", good);
            default -> throw new IllegalArgumentException(kind);
        };

        ProtocolException e = assertThrows(ProtocolException.class, () -> fx.calls.signal(customer.principal(),
                new ClientMessage.CallSignal("s1", callId, sdp, null)));

        assertEquals(ErrorCode.BAD_SDP, e.code(), e.getMessage());
        assertFalse(e.getMessage().isBlank());
        assertTrue(customer.received("call.signal").isEmpty());
        assertEquals(CallState.CONNECTING, fx.record(callId).state(), "no answer, so not connected");
        if (!kind.equals("no bundle")) {
            assertTrue(fx.bridge.requests().isEmpty(), "rejected before the bridge: " + fx.bridge.requests());
        }
    }

    @Test
    void aBridgeThatRefusesOrIsAwayIsReportedToTheParty() {
        fx.bridge.failWith(new BridgeException.BadRequest("unsupported codec"));
        assertRefused(ErrorCode.BAD_SDP, () -> fx.offer(customer, callId, CUSTOMER_PAGE));

        fx.bridge.failWith(new BridgeException.Unavailable("connection refused", null));
        assertRefused(ErrorCode.UNAVAILABLE, () -> fx.offer(customer, callId, CUSTOMER_PAGE));

        fx.bridge.failWith(null);
        fx.offer(customer, callId, CUSTOMER_PAGE);
        assertEquals(1, fx.bridge.endpoints(callId.value()).size(), "a retry succeeds");
        assertTrue(answerTo(customer).contains("a=ice-ufrag:" + FakeBridge.ufragOf(fx.bridge.endpoints(callId.value()).get(0))));
    }

    @Test
    void candidatesAreNotPassedOn() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        int requests = fx.bridge.requests().size();
        customer.clear();

        fx.calls.signal(staff.principal(), new ClientMessage.CallSignal("s1", callId, null,
                new ClientMessage.IceCandidate("candidate:1 1 udp 2113937151 127.0.0.1 40002 typ host", "0", 0, null)));

        assertEquals(requests, fx.bridge.requests().size());
        assertTrue(customer.received().isEmpty());
        assertTrue(staff.received().isEmpty());
    }

    @Test
    void lostConferencesAskEveryLegCreatedBeforeToRestartIce() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);
        fx.offer(customer, callId, CUSTOMER_PAGE);
        customer.clear();
        staff.clear();
        fx.bridge.forgetEverything();

        fx.negotiator.conferencesLost(Set.of(CallMeetings.meetingOf(callId), new MeetingId("r-unknown")), System.nanoTime());

        for (EmbeddedClient party : List.of(customer, staff)) {
            JsonNode restart = party.lastOf("call.renegotiate");
            assertTrue(restart.path("iceRestart").asBoolean(), restart.toString());
            assertEquals(callId.value(), restart.path("callId").asText());
        }
        customer.clear();
        staff.clear();

        fx.offer(customer, callId, CUSTOMER_PAGE.withUfrag("restarted"));

        assertTrue(fx.bridge.hasConference(callId.value()), "the conference is created again");
        assertEquals(List.of("customer-2"), fx.bridge.endpoints(callId.value()));
        assertTrue(answerTo(customer).contains("a=ice-ufrag:" + FakeBridge.ufragOf("customer-2")));
        assertTrue(staff.received("call.renegotiate").isEmpty(), "the staff member was already asked");
    }

    @Test
    void legsCreatedAfterTheLossAreLeftAlone() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);
        long lostAt = System.nanoTime();
        fx.bridge.forgetEverything();
        fx.offer(customer, callId, CUSTOMER_PAGE.withUfrag("noticed")); // this offer found the bridge empty
        customer.clear();
        staff.clear();

        fx.negotiator.conferencesLost(Set.of(CallMeetings.meetingOf(callId)), lostAt);

        assertTrue(customer.received("call.renegotiate").isEmpty(), "its leg is new: " + customer.received());
        assertTrue(staff.lastOf("call.renegotiate").path("iceRestart").asBoolean());
    }

    // ----

    @Test
    void aSignalThatLosesTheRaceWithTheEndDoesNotBuildTheConferenceAgain() {
        fx.offer(customer, callId, CUSTOMER_PAGE);
        // CallService.signal read the call while it was live; the call ends before the negotiator runs it.
        CallRecord seenLive = fx.record(callId);
        Stages.await(fx.calls.hangup(staff.principal(), callId, "h1"));
        customer.clear();

        ProtocolException refused = assertThrows(ProtocolException.class, () -> fx.negotiator.signal(seenLive,
                Subject.of("cust-wei"), Role.CUSTOMER, new ClientMessage.CallSignal("s1", callId,
                        new ClientMessage.Sdp("offer", CUSTOMER_PAGE.withUfrag("reloaded").sdp()), null), () -> { }));

        assertEquals(ErrorCode.INVALID_STATE, refused.code());
        assertFalse(fx.bridge.hasConference(callId.value()), "the ended call's conference was built again: "
                + fx.bridge.endpoints(callId.value()));
        assertTrue(customer.received("call.signal").isEmpty(), "no answer for an ended call: " + customer.received());
    }

    private static String answerTo(EmbeddedClient party) {
        JsonNode signal = party.lastOf("call.signal");
        assertEquals("bridge", signal.path("from").asText());
        assertEquals("answer", signal.path("sdp").path("type").asText());
        return signal.path("sdp").path("sdp").asText();
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static List<Long> ssrcs(List<MediaSource> sources) {
        return sources.stream().flatMap(s -> s.ssrcs().stream()).map(MediaSource.Ssrc::ssrc).toList();
    }

    private static void assertRefused(ErrorCode code, org.junit.jupiter.api.function.Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(code, e.code(), e.getMessage());
    }
}
