package io.livedesk.signaling.call;

import io.livedesk.signaling.async.Stages;
import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.lastOfferTo;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static io.livedesk.signaling.testing.CallFlowFixture.supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CallService} driven as a node drives it (routing offers, staff accept, parties signal, hang up,
 * supervisors join, staff transfer), with in-memory stores and a fake bridge; asserted on call records,
 * staff load and what each participant's connection received.
 */
class CallServiceTest {

    private final CallFlowFixture fx = CallFlowFixture.bridged();
    private EmbeddedClient customer;
    private EmbeddedClient staff;

    @BeforeEach
    void signIn() {
        customer = fx.signIn(customer("cust-wei"));
        staff = fx.signIn(staff("agent-zhang"));
    }

    // ---- start ----

    @Test
    void acceptingTellsBothPartiesAndTheCallConnectsOnTheFirstAnswer() {
        fx.available(staff);
        RequestId id = fx.request(customer, "accounts");
        assertEquals(id, lastOfferTo(staff));
        customer.clear();
        staff.clear();
        fx.clock.advance(Duration.ofSeconds(3));

        ServerMessage.CallStarted reply = fx.accept(staff, id);

        assertEquals(CallId.of(id), reply.callId());
        assertEquals("Customer cust-wei", reply.peer().name());
        assertEquals("customer", reply.peer().role());
        assertEquals("bridge", reply.media());
        assertTrue(reply.initiator(), "with a bridge every participant offers");
        JsonNode started = customer.lastOf("call.started");
        assertEquals(id.value(), started.path("callId").asText());
        assertEquals("Staff agent-zhang", started.path("peer").path("name").asText());
        assertEquals("staff", started.path("peer").path("role").asText());
        assertTrue(started.path("id").isMissingNode(), "the customer's is an event, not a reply");
        assertTrue(staff.received("call.started").isEmpty(), "the staff member has it as their reply only");
        CallRecord call = fx.record(id);
        assertEquals(CallState.CONNECTING, call.state());
        assertEquals(Subject.of("agent-zhang"), call.staffId());
        assertEquals(fx.clock.millis(), call.answeredAtMs());
        assertEquals(new ServerMessage.CallTimes(3_000, 0), reply.times(), "ringing counts as waiting");
        assertEquals(3_000, started.path("times").path("waitMs").asLong(), "the customer is told the same wait");
        assertEquals(CallFlowFixture.NODE_ID, call.mediaNode());
        assertEquals(CallId.of(id), fx.calls.liveCallOf(Subject.of("cust-wei")).orElseThrow().callId());
        assertEquals(CallId.of(id), fx.calls.liveCallOf(Subject.of("agent-zhang")).orElseThrow().callId());

        fx.clock.advance(Duration.ofSeconds(2));
        fx.offer(customer, CallId.of(id), BrowserOffer.of("cust", 1));

        assertEquals(CallState.ACTIVE, fx.record(id).state());
        assertEquals(fx.clock.millis(), fx.record(id).connectedAtMs());

        long connectedAt = fx.clock.millis();
        fx.clock.advance(Duration.ofSeconds(2));
        fx.offer(staff, CallId.of(id), BrowserOffer.of("staff", 2));
        assertEquals(connectedAt, fx.record(id).connectedAtMs(), "only the first answer connects the call");
    }

    @Test
    void peerToPeerTheCallBecomesActiveOnTheAnswerNotTheOffer() {
        CallFlowFixture p2p = CallFlowFixture.peerToPeer();
        EmbeddedClient cust = p2p.signIn(customer("cust-wei"));
        EmbeddedClient agent = p2p.signIn(staff("agent-zhang"));
        CallId id = p2p.call(cust, agent);
        var offer = new ClientMessage.Sdp("offer", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n");
        var answer = new ClientMessage.Sdp("answer", "v=0\r\no=- 2 1 IN IP4 0.0.0.0\r\n");

        p2p.calls.signal(agent.principal(), new ClientMessage.CallSignal("s1", id, offer, null));

        assertEquals(CallState.CONNECTING, p2p.record(id).state());
        JsonNode relayed = cust.lastOf("call.signal");
        assertEquals("staff", relayed.path("from").asText());
        assertEquals(offer.sdp(), relayed.path("sdp").path("sdp").asText());

        p2p.calls.signal(cust.principal(), new ClientMessage.CallSignal("s2", id, answer, null));

        assertEquals(CallState.ACTIVE, p2p.record(id).state());
        assertEquals("answer", agent.lastOf("call.signal").path("sdp").path("type").asText());
    }

    @Test
    void acceptingARequestThatIsNoLongerWaitingIsRefused() {
        fx.available(staff);
        RequestId id = fx.request(customer, "accounts");
        fx.routing.cancel(customer.principal(), new ClientMessage.RequestCancel("c1", id));

        assertRefused(ErrorCode.OFFER_EXPIRED, () -> fx.accept(staff, id));
        assertEquals(CallState.ENDED, fx.record(id).state());
    }

    // ---- hang-up and end ----

    @Test
    void customerHangupEndsTheCallForBothAndFreesTheStaffMember() {
        CallId id = fx.call(customer, staff);
        assertEquals(1, fx.presenceOf("agent-zhang").load());
        assertEquals(StaffStatus.BUSY, fx.presenceOf("agent-zhang").effectiveStatus());
        fx.clock.advance(Duration.ofSeconds(84));

        ServerMessage.CallEnded reply = Stages.await(fx.calls.hangup(customer.principal(), id, "h1"));

        CallRecord ended = fx.record(id);
        ServerMessage.CallTimes times = new ServerMessage.CallTimes(ended.waitMs(0), ended.talkMs(0));
        assertEquals(84_000, times.talkMs(), "from the answer to the hang-up");
        assertEquals(new ServerMessage.CallEnded("h1", id, "customer_hangup", times), reply);
        assertEquals("customer_hangup", staff.lastOf("call.ended").path("reason").asText());
        assertEquals(84_000, staff.lastOf("call.ended").path("times").path("talkMs").asLong(),
                "both parties are told the same times as the record keeps");
        assertTrue(customer.received("call.ended").isEmpty(), "the customer has the reply; no second notice");
        CallRecord call = fx.record(id);
        assertEquals(CallState.ENDED, call.state());
        assertEquals(EndReason.CUSTOMER_HANGUP, call.endReason());
        assertEquals(0, fx.presenceOf("agent-zhang").load());
        assertEquals(StaffStatus.AVAILABLE, fx.presenceOf("agent-zhang").effectiveStatus());
        assertEquals(0, staff.lastOf("presence").path("load").asInt(), "the staff member is told they are free");
        assertTrue(fx.calls.liveCallOf(Subject.of("cust-wei")).isEmpty());
        assertTrue(fx.calls.liveCallOf(Subject.of("agent-zhang")).isEmpty());
    }

    @Test
    void staffHangupTellsTheCustomer() {
        CallId id = fx.call(customer, staff);

        ServerMessage.CallEnded reply = Stages.await(fx.calls.hangup(staff.principal(), id, "h1"));

        assertEquals("staff_hangup", reply.reason());
        assertEquals("staff_hangup", customer.lastOf("call.ended").path("reason").asText());
        assertTrue(staff.received("call.ended").isEmpty());
        assertEquals(EndReason.STAFF_HANGUP, fx.record(id).endReason());
        assertEquals(0, fx.presenceOf("agent-zhang").load());
    }

    @Test
    void theFreedStaffMemberIsOfferedTheNextWaitingCustomer() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient next = fx.signIn(customer("cust-li"));
        RequestId waiting = fx.request(next, "accounts");
        assertTrue(staff.received("offer").isEmpty(), "busy: nothing rings");

        Stages.await(fx.calls.hangup(customer.principal(), id, "h1"));

        assertEquals(waiting, lastOfferTo(staff));
    }

    @Test
    void endingTwiceEndsOnceAndFreesCapacityOnce() {
        EmbeddedClient agent = fx.signIn(staff("agent-two", 2, "accounts"));
        CallId first = fx.call(customer, agent);
        EmbeddedClient other = fx.signIn(customer("cust-li"));
        CallId second = fx.call(other, agent);
        assertEquals(2, fx.presenceOf("agent-two").load());

        assertTrue(fx.calls.end(first, EndReason.STAFF_HANGUP, null).isPresent());
        assertTrue(fx.calls.end(first, EndReason.CUSTOMER_HANGUP, null).isEmpty());

        assertEquals(1, fx.presenceOf("agent-two").load(), "the other call still holds one place");
        assertEquals(EndReason.STAFF_HANGUP, fx.record(first).endReason(), "the first end wins");
        assertEquals(1, customer.received("call.ended").size());
        assertEquals(List.of(first.value()), fx.bridge.expiredConferences());
        assertTrue(fx.record(second).state().live());
        assertRefused(ErrorCode.INVALID_STATE, () -> Stages.await(fx.calls.hangup(customer.principal(), first, "h2")));
    }

    @Test
    void onlyPeopleInTheCallMayHangItUp() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient stranger = fx.signIn(customer("cust-li"));

        assertRefused(ErrorCode.NOT_FOUND, () -> Stages.await(fx.calls.hangup(stranger.principal(), id, "h1")));
        assertTrue(fx.record(id).state().live());
    }

    // ---- supervisors ----

    @Test
    void aMonitoringSupervisorIsAnnouncedToTheStaffMemberButNeverToTheCustomer() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));

        ServerMessage.CallStarted joined = fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, null));

        assertEquals("monitor", joined.supervising());
        assertEquals(id, joined.callId());
        assertEquals("j1", joined.id());
        assertEquals(List.of("customer", "staff", "supervisor"), roles(staff.lastOf("call.participants")));
        assertTrue(customer.received().isEmpty(), "the customer is told nothing of a monitor: " + customer.received());
        assertTrue(sup.received("call.participants").isEmpty(), "the supervisor has the reply");
        CallRecord.Supervisor kept = fx.record(id).supervisors().get(0);
        assertEquals(Subject.of("sup-chen"), kept.id());
        assertFalse(kept.announced());
        assertEquals("Supervisor sup-chen", kept.name(), "kept for the staff member's screen");
    }

    @Test
    void aBargingSupervisorIsAnnouncedToEveryone() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));

        ServerMessage.CallStarted joined = fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, "barge"));

        assertEquals("barge", joined.supervising());
        JsonNode toCustomer = customer.lastOf("call.participants");
        assertEquals(List.of("customer", "staff", "supervisor"), roles(toCustomer));
        assertTrue(toCustomer.path("participants").get(2).path("name").isMissingNode(),
                "participants see that a supervisor is there, not who");
        assertEquals(List.of("customer", "staff", "supervisor"), roles(staff.lastOf("call.participants")));
        assertEquals(List.of(Subject.of("sup-chen")), fx.record(id).supervisorIds());
        assertTrue(fx.record(id).supervisors().get(0).announced());
    }

    @Test
    void participantListsNameEachPersonsStreamAndTheSupervisorOnlyToColleagues() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));

        ServerMessage.CallStarted joined = fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, "barge"));

        CallRecord call = fx.record(id);
        String supStream = CallStreams.of(call, Subject.of("sup-chen"));
        assertTrue(supStream.matches("ld-[0-9a-f]{24}"), supStream);
        assertNotEquals(supStream, CallStreams.of(call, Subject.of("cust-wei")));
        assertEquals(CallStreams.of(call, Subject.of("cust-wei")), joined.peer().stream());

        JsonNode toStaff = staff.lastOf("call.participants").path("participants");
        assertEquals(CallStreams.of(call, Subject.of("cust-wei")), toStaff.get(0).path("stream").asText());
        assertEquals(CallStreams.of(call, Subject.of("agent-zhang")), toStaff.get(1).path("stream").asText());
        assertEquals("Supervisor sup-chen", toStaff.get(2).path("name").asText(), "a colleague may see who joined");
        assertEquals("barge", toStaff.get(2).path("supervising").asText());
        assertEquals(supStream, toStaff.get(2).path("stream").asText());

        JsonNode toCustomer = customer.lastOf("call.participants").path("participants");
        assertTrue(toCustomer.get(2).path("name").isMissingNode(), "never who: " + toCustomer);
        assertEquals(supStream, toCustomer.get(2).path("stream").asText(), "but which video is theirs");

        assertEquals(List.of("customer", "staff", "supervisor"), joined.participants().stream().map(ServerMessage.PeerView::role).toList(),
                "the joining supervisor learns who is there with their reply");
        assertEquals("Supervisor sup-chen", joined.participants().get(2).name());

        EmbeddedClient monitor = fx.signIn(supervisor("sup-lin"));
        fx.calls.join(monitor.principal(), new ClientMessage.CallJoin("j2", id, null));
        JsonNode withMonitor = staff.lastOf("call.participants").path("participants");
        assertEquals("monitor", withMonitor.get(3).path("supervising").asText());
        Stages.await(fx.calls.hangup(customer.principal(), id, "h0"));
    }

    @Test
    void aResumedPartyIsToldWhoIsInTheCallWithTheirCallStarted() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient monitor = fx.signIn(supervisor("sup-lin"));
        fx.calls.join(monitor.principal(), new ClientMessage.CallJoin("j1", id, null));

        ServerMessage.CallStarted toStaff = fx.calls.resume(staff.principal()).orElseThrow();
        ServerMessage.CallStarted toCustomer = fx.calls.resume(customer.principal()).orElseThrow();

        assertEquals(List.of("customer", "staff", "supervisor"), toStaff.participants().stream().map(ServerMessage.PeerView::role).toList());
        assertEquals(List.of("customer", "staff"), toCustomer.participants().stream().map(ServerMessage.PeerView::role).toList(),
                "a monitor is never listed to the customer");
        assertEquals(toStaff.participants().get(1).stream(), toCustomer.peer().stream());
    }

    @Test
    void joiningIsRefusedTwiceForCallsThatAreNotLiveAndWithoutABridge() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, null));

        assertRefused(ErrorCode.INVALID_STATE, () -> fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j2", id, "barge")));
        assertRefused(ErrorCode.NOT_FOUND, () -> fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j3", CallId.of("r-none"), null)));
        Stages.await(fx.calls.hangup(customer.principal(), id, "h1"));
        EmbeddedClient late = fx.signIn(supervisor("sup-late"));
        assertRefused(ErrorCode.NOT_FOUND, () -> fx.calls.join(late.principal(), new ClientMessage.CallJoin("j4", id, null)));

        CallFlowFixture p2p = CallFlowFixture.peerToPeer();
        EmbeddedClient cust = p2p.signIn(customer("cust-wei"));
        EmbeddedClient agent = p2p.signIn(staff("agent-zhang"));
        CallId p2pCall = p2p.call(cust, agent);
        EmbeddedClient p2pSup = p2p.signIn(supervisor("sup-chen"));
        assertRefused(ErrorCode.NOT_SUPPORTED,
                () -> p2p.calls.join(p2pSup.principal(), new ClientMessage.CallJoin("j5", p2pCall, null)));
    }

    @Test
    void aMonitorLeavingIsToldToTheStaffMemberOnly() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, null));
        staff.clear();

        ServerMessage.CallEnded left = fx.calls.leave(sup.principal(), id, "l1");

        assertEquals("left", left.reason());
        assertEquals(fx.record(id).talkMs(fx.clock.millis()), left.times().talkMs());
        assertEquals(List.of("customer", "staff"), roles(staff.lastOf("call.participants")));
        assertTrue(customer.received().isEmpty());
        assertTrue(fx.record(id).supervisors().isEmpty());
        assertTrue(fx.record(id).state().live(), "the call goes on");
        assertRefused(ErrorCode.NOT_FOUND, () -> fx.calls.leave(sup.principal(), id, "l2"));
    }

    @Test
    void aSupervisorHangingUpLeavesAndABargerLeavingIsToldToTheCustomer() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, "barge"));
        customer.clear();

        ServerMessage.CallEnded reply = Stages.await(fx.calls.hangup(sup.principal(), id, "h1"));

        assertEquals("left", reply.reason());
        assertEquals(List.of("customer", "staff"), roles(customer.lastOf("call.participants")));
        assertTrue(customer.received("call.ended").isEmpty());
        assertTrue(fx.record(id).state().live());
    }

    @Test
    void supervisorsAreToldWhenTheCallEnds() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, null));

        Stages.await(fx.calls.hangup(customer.principal(), id, "h1"));

        assertEquals("customer_hangup", sup.lastOf("call.ended").path("reason").asText());
    }

    // ---- transfer ----

    @Test
    void theFormerStaffMembersMediaStaysUntilTheCustomerShowsTheNextOnesVideo() {
        CallFlowFixture mbb = CallFlowFixture.bridgedWithHandover(Duration.ofMinutes(1));
        EmbeddedClient cust = mbb.signIn(customer("cust-wei"));
        EmbeddedClient zhang = mbb.availableStaff(staff("agent-zhang", "accounts"));
        CallId id = mbb.call(cust, zhang);
        EmbeddedClient li = mbb.availableStaff(staff("agent-li", "cards"));
        mbb.calls.transfer(zhang.principal(), new ClientMessage.CallTransfer("t1", id, "cards", "en", null));
        RequestId transfer = RequestId.of(li.lastOf("offer").path("requestId").asText());
        zhang.clear();

        mbb.accept(li, transfer);

        assertEquals(Subject.of("agent-li"), mbb.record(id).staffId(), "the call is the next one's at once");
        assertEquals(0, mbb.presenceOf("agent-zhang").load(), "and the former one is free for the next customer");
        assertTrue(zhang.received("call.ended").isEmpty(), "but their media stays until the customer shows the next");
        mbb.calls.videoShown(li.principal(), CallId.of("r-someone-else"));
        assertTrue(zhang.received("call.ended").isEmpty(), "a hint about another call changes nothing");

        mbb.calls.videoShown(cust.principal(), id);
        assertEquals("transferred", zhang.lastOf("call.ended").path("reason").asText());
        mbb.calls.videoShown(cust.principal(), id);
        assertEquals(1, zhang.received("call.ended").size(), "told once");
    }

    @Test
    void aTransferToAQueueRingsTheNextStaffMemberWhoTakesTheCallOver() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient next = fx.availableStaff(staff("agent-li", "cards"));

        ServerMessage.CallTransferring reply = fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t1", id, "cards", "en", null));

        assertEquals(new ServerMessage.CallTransferring("t1", id, "cards", "en", null), reply);
        RequestId transfer = lastOfferTo(next);
        assertNotEquals(id, transfer, "a transfer is a request of its own");
        assertEquals(transfer, fx.record(id).transferRequestId());
        assertEquals(Subject.of("agent-zhang"), fx.record(id).staffId(), "the staff member stays on until someone accepts");
        assertTrue(customer.received().isEmpty(), "the customer is not told of queues: " + customer.received());

        ServerMessage.CallStarted started = fx.accept(next, RequestId.of(transfer.value()));

        assertEquals(id, started.callId());
        assertEquals("Customer cust-wei", started.peer().name());
        CallRecord call = fx.record(id);
        assertTrue(call.state().live());
        assertEquals(Subject.of("agent-li"), call.staffId());
        assertEquals("Staff agent-li", call.staffName());
        assertEquals(List.of(Subject.of("agent-zhang")), call.formerStaffIds());
        assertNull(call.transferRequestId());
        assertEquals("transferred", staff.lastOf("call.ended").path("reason").asText());
        JsonNode transferred = customer.lastOf("call.transferred");
        assertEquals(id.value(), transferred.path("callId").asText());
        assertEquals("Staff agent-li", transferred.path("peer").path("name").asText());
        assertTrue(customer.received("call.ended").isEmpty());
        assertEquals(0, fx.presenceOf("agent-zhang").load());
        assertEquals(1, fx.presenceOf("agent-li").load());
        assertTrue(fx.calls.liveCallOf(Subject.of("agent-zhang")).isEmpty());
        assertEquals(id, fx.calls.liveCallOf(Subject.of("agent-li")).orElseThrow().callId());
        assertEquals(id, fx.calls.liveCallOf(Subject.of("cust-wei")).orElseThrow().callId());

        staff.clear();
        Stages.await(fx.calls.hangup(customer.principal(), id, "h1"));
        assertEquals("customer_hangup", next.lastOf("call.ended").path("reason").asText());
        assertTrue(staff.received().isEmpty(), "the former staff member is out of the call");
    }

    @Test
    void aTransferToAColleagueRingsOnlyThemAndTheyTakeOver() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient bystander = fx.availableStaff(staff("agent-wang", "accounts", "cards"));
        EmbeddedClient colleague = fx.availableStaff(staff("agent-li", "cards"));

        ServerMessage.CallTransferring reply = fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t1", id, null, null, Subject.of("agent-li")));

        assertEquals(Subject.of("agent-li"), reply.staffId());
        assertNull(reply.topic());
        JsonNode offer = colleague.lastOf("offer");
        assertEquals("accounts", offer.path("topic").asText(), "the colleague sees the call's own topic");
        assertTrue(bystander.received("offer").isEmpty());

        fx.accept(colleague, RequestId.of(offer.path("requestId").asText()));

        assertEquals(Subject.of("agent-li"), fx.record(id).staffId());
        assertEquals("transferred", staff.lastOf("call.ended").path("reason").asText());
    }

    @Test
    void oneTransferAtATime() {
        CallId id = fx.call(customer, staff);
        fx.availableStaff(staff("agent-li", "cards"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", id, "cards", "en", null));
        RequestId pending = fx.record(id).transferRequestId();

        assertRefused(ErrorCode.INVALID_STATE, () -> fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t2", id, "loans", "en", null)));
        assertRefused(ErrorCode.INVALID_STATE, () -> fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t3", id, null, null, Subject.of("agent-li"))));
        assertEquals(pending, fx.record(id).transferRequestId());
    }

    @Test
    void onlyTheCallsStaffMemberMayTransferIt() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, null));
        EmbeddedClient otherStaff = fx.signIn(staff("agent-li"));
        var toCards = new ClientMessage.CallTransfer("t1", id, "cards", "en", null);

        assertRefused(ErrorCode.FORBIDDEN, () -> fx.calls.transfer(customer.principal(), toCards));
        assertRefused(ErrorCode.FORBIDDEN, () -> fx.calls.transfer(sup.principal(), toCards));
        assertRefused(ErrorCode.NOT_FOUND, () -> fx.calls.transfer(otherStaff.principal(), toCards));
        assertRefused(ErrorCode.INVALID_STATE, () -> fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t2", id, null, null, Subject.of("agent-zhang"))));
        assertRefused(ErrorCode.INVALID_STATE, () -> fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t3", id, null, null, Subject.of("sup-chen"))));
        assertRefused(ErrorCode.UNKNOWN_TOPIC, () -> fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t4", id, "nosuchtopic", "en", null)));
        assertNull(fx.record(id).transferRequestId());
    }

    @Test
    void aColleagueWhoCannotTakeACallNowIsRefusedAndTheCallStaysAsItWas() {
        CallId id = fx.call(customer, staff);
        fx.signIn(staff("agent-li", "cards")); // signed in, but away

        assertRefused(ErrorCode.INVALID_STATE, () -> fx.calls.transfer(staff.principal(),
                new ClientMessage.CallTransfer("t1", id, null, null, Subject.of("agent-li"))));

        assertNull(fx.record(id).transferRequestId());
        EmbeddedClient other = fx.availableStaff(staff("agent-wang", "cards"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t2", id, "cards", "en", null));
        assertEquals(fx.record(id).transferRequestId(), lastOfferTo(other), "a refused transfer leaves no trace");
    }

    @Test
    void aDeclinedColleagueTransferIsToldToTheStaffMemberWhoKeepsTheCall() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient colleague = fx.availableStaff(staff("agent-li"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", id, null, null, Subject.of("agent-li")));
        RequestId transfer = lastOfferTo(colleague);

        fx.routing.decline(colleague.principal(), new ClientMessage.OfferDecline("d1", RequestId.of(transfer.value())));

        JsonNode failed = staff.lastOf("call.transfer.failed");
        assertEquals(id.value(), failed.path("callId").asText());
        assertEquals("declined", failed.path("reason").asText());
        CallRecord call = fx.record(id);
        assertNull(call.transferRequestId());
        assertEquals(Subject.of("agent-zhang"), call.staffId());
        assertTrue(call.state().live());
        assertEquals(0, fx.presenceOf("agent-li").load());
        assertTrue(customer.received().isEmpty());

        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t2", id, null, null, Subject.of("agent-li")));
        assertNotEquals(transfer, lastOfferTo(colleague), "the staff member may try again");
    }

    @Test
    void aColleagueTransferThatRingsOutFailsWithTimeout() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient colleague = fx.availableStaff(staff("agent-li"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", id, null, null, Subject.of("agent-li")));

        fx.clock.advance(CallFlowFixture.RING.plusSeconds(1));
        fx.routing.sweep(List.of(), List.of(), () -> true);

        assertEquals("timeout", staff.lastOf("call.transfer.failed").path("reason").asText());
        assertEquals("timeout", colleague.lastOf("offer.revoked").path("reason").asText());
        assertNull(fx.record(id).transferRequestId());
        assertEquals(Subject.of("agent-zhang"), fx.record(id).staffId());
    }

    @Test
    void aRingingTransferIsWithdrawnWhenTheCallEnds() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient next = fx.availableStaff(staff("agent-li", "cards"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", id, "cards", "en", null));
        RequestId transfer = lastOfferTo(next);
        assertEquals(1, fx.presenceOf("agent-li").load());

        Stages.await(fx.calls.hangup(customer.principal(), id, "h1"));

        assertEquals(transfer.value(), next.lastOf("offer.revoked").path("requestId").asText());
        assertEquals(0, fx.presenceOf("agent-li").load());
        assertRefused(ErrorCode.OFFER_EXPIRED, () -> fx.accept(next, RequestId.of(transfer.value())));
        assertEquals(EndReason.CUSTOMER_HANGUP, fx.record(id).endReason());
        assertEquals(Subject.of("agent-zhang"), fx.record(id).staffId());
    }

    @Test
    void aTransferWaitingInItsQueueGoesWhenTheCallEnds() {
        CallId id = fx.call(customer, staff);
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", id, "cards", "en", null));

        Stages.await(fx.calls.hangup(staff.principal(), id, "h1"));
        EmbeddedClient later = fx.availableStaff(staff("agent-li", "cards"));

        assertTrue(later.received("offer").isEmpty(), "nothing of the ended call rings: " + later.received());
        assertTrue(fx.routingStore.openRequestOf(Subject.of("cust-wei")).isEmpty(), "the transfer request is out of routing");
    }

    @Test
    void theCustomerIsNeverToldOfAMonitorEvenAfterATransfer() {
        CallId id = fx.call(customer, staff);
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        fx.calls.join(sup.principal(), new ClientMessage.CallJoin("j1", id, null));
        EmbeddedClient colleague = fx.availableStaff(staff("agent-li"));
        fx.calls.transfer(staff.principal(), new ClientMessage.CallTransfer("t1", id, null, null, Subject.of("agent-li")));
        sup.clear();

        fx.accept(colleague, lastOfferTo(colleague));

        assertEquals(List.of("customer", "staff"), roles(customer.lastOf("call.participants")));
        assertEquals(List.of("customer", "staff", "supervisor"), roles(sup.lastOf("call.participants")));
        assertEquals(List.of(Subject.of("sup-chen")), fx.record(id).supervisorIds(), "the monitor stays through the transfer");
    }

    @Test
    void transferringNeedsTheBridge() {
        CallFlowFixture p2p = CallFlowFixture.peerToPeer();
        EmbeddedClient cust = p2p.signIn(customer("cust-wei"));
        EmbeddedClient agent = p2p.signIn(staff("agent-zhang"));
        CallId id = p2p.call(cust, agent);

        assertRefused(ErrorCode.NOT_SUPPORTED, () -> p2p.calls.transfer(agent.principal(),
                new ClientMessage.CallTransfer("t1", id, "cards", "en", null)));
    }

    // ---- resume and media hand-off ----

    @Test
    void aPartyResumingIsHandedTheirCallAgain() {
        CallId id = fx.call(customer, staff);

        ServerMessage.CallStarted resumed = fx.calls.resume(customer.principal()).orElseThrow();

        assertEquals(id, resumed.callId());
        assertEquals(Boolean.TRUE, resumed.resumed());
        assertEquals("Staff agent-zhang", resumed.peer().name());
        assertEquals("Customer cust-wei", fx.calls.resume(staff.principal()).orElseThrow().peer().name());
        assertTrue(fx.calls.resume(customer("cust-nobody")).isEmpty());
    }

    @Test
    void peerToPeerTheStaffMemberOffersAfreshWhenTheCustomerResumes() {
        CallFlowFixture p2p = CallFlowFixture.peerToPeer();
        EmbeddedClient cust = p2p.signIn(customer("cust-wei"));
        EmbeddedClient agent = p2p.signIn(staff("agent-zhang"));
        CallId id = p2p.call(cust, agent);

        p2p.calls.resume(cust.principal());

        assertEquals(id.value(), agent.lastOf("call.restart").path("callId").asText());
        agent.clear();
        p2p.calls.resume(agent.principal());
        assertTrue(cust.received("call.restart").isEmpty(), "the initiator coming back offers by itself");
    }

    @Test
    void mediaWorkOfACallHeldOnAnotherNodeIsHandedThere() {
        CallId id = fx.call(customer, staff);
        new CallRecords(fx.callStore).update(id, r -> r.withMediaNode("node-b"));

        fx.offer(customer, id, BrowserOffer.of("cust", 1));
        Stages.await(fx.calls.hangup(staff.principal(), id, "h1"));

        assertTrue(fx.bridge.requests().isEmpty(), "this node's bridge is not asked: " + fx.bridge.requests());
        assertEquals(List.of("node-b", "node-b"), fx.handedOff.stream().map(e -> e.getKey()).toList());
        MediaTask signal = fx.handedOff.get(0).getValue();
        assertEquals(MediaTask.Kind.SIGNAL, signal.kind());
        assertEquals(Subject.of("cust-wei"), signal.subject());
        assertEquals(MediaTask.Kind.ENDED, fx.handedOff.get(1).getValue().kind());
        assertFalse(customer.received("call.ended").isEmpty());
    }

    @Test
    void aPartyWhoseSocketClosesIsTakenToTheNodeHoldingTheCallsMedia() {
        CallId id = fx.call(customer, staff);
        new CallRecords(fx.callStore).update(id, r -> r.withMediaNode("node-b"));

        customer.disconnect();

        assertEquals(1, fx.handedOff.size(), fx.handedOff.toString());
        assertEquals("node-b", fx.handedOff.get(0).getKey());
        MediaTask away = fx.handedOff.get(0).getValue();
        assertEquals(MediaTask.Kind.AWAY, away.kind());
        assertEquals(Subject.of("cust-wei"), away.subject());
        assertTrue(staff.received("call.peer").isEmpty(), "that node tells, as it also follows the media");

        fx.calls.handle(away);
        assertEquals("reconnecting", staff.lastOf("call.peer").path("status").asText());
    }

    // ----

    private static List<String> roles(JsonNode participants) {
        return StreamSupport.stream(participants.path("participants").spliterator(), false)
                .map(p -> p.path("role").asText()).toList();
    }

    private static void assertRefused(ErrorCode code, Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(code, e.code(), e.getMessage());
    }
}
