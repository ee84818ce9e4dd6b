package io.livedesk.signaling.session;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.cluster.SessionLocation;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.livedesk.signaling.testing.CallFlowFixture.GRACE;
import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SessionService}: sign-in, a second sign-in of the same subject, and the grace period after a
 * drop (resume within it, the subject's business ended after it), with a clock the test moves.
 */
class SessionServiceTest {

    private static final Duration JUST_INSIDE = GRACE.minusSeconds(1);
    private static final Duration JUST_PAST = GRACE.plusSeconds(1);

    private final CallFlowFixture fx = CallFlowFixture.bridged();

    // ---- hello ----

    @Test
    void helloSignsACustomerInAndWelcomesThem() {
        EmbeddedClient c = fx.open();

        ServerMessage.Welcome welcome = fx.sessions.hello(c.connection(), "h1", fx.token(customer("cust-wei")));

        assertEquals("h1", welcome.id());
        assertEquals(Subject.of("cust-wei"), welcome.subject());
        assertEquals("customer", welcome.role());
        assertEquals("Customer cust-wei", welcome.name());
        assertEquals(CallFlowFixture.NODE_ID, welcome.node());
        assertEquals(List.of("accounts", "cards", "loans", "wealth"), welcome.topics().stream().map(ServerMessage.TopicView::id).toList());
        assertEquals(List.of("en", "zh"), welcome.languages());
        assertNull(welcome.presence());
        assertNull(welcome.request());
        assertNull(welcome.call());
        assertEquals(Subject.of("cust-wei"), c.principal().subject());
        assertEquals(c.connection(), fx.connections.get(Subject.of("cust-wei")).orElseThrow());
        assertEquals(new SessionLocation(Subject.of("cust-wei"), Role.CUSTOMER, CallFlowFixture.NODE_ID, c.connection().id()),
                fx.sessionStore.locate(Subject.of("cust-wei")).orElseThrow());
    }

    @Test
    void helloConnectsStaffAndShowsTheirPresence() {
        EmbeddedClient c = fx.open();

        ServerMessage.Welcome welcome = fx.sessions.hello(c.connection(), "h1", fx.token(staff("agent-zhang", 3, "accounts")));

        assertEquals(new ServerMessage.PresenceView("away", 0, 3), welcome.presence());
        assertTrue(fx.presenceOf("agent-zhang").connected());
    }

    @Test
    void helloIsRefusedForBadTokensAndASecondHelloAndViewersAreWelcome() {
        EmbeddedClient c = fx.open();
        Principal viewer = new Principal(Subject.of("viewer-1"), Role.VIEWER, null, Set.of(), Set.of(), 1, 0);
        String expiring = fx.token(customer("cust-wei"));

        assertRefused(ErrorCode.INVALID_TOKEN, () -> fx.sessions.hello(c.connection(), "h1", "not.a.token"));
        assertFalse(c.connection().authenticated());
        assertTrue(fx.sessionStore.locate(Subject.of("cust-wei")).isEmpty(), "a refused hello binds nothing");
        EmbeddedClient watcher = fx.open();
        ServerMessage.Welcome welcomed = fx.sessions.hello(watcher.connection(), "h2", fx.token(viewer));
        assertEquals("viewer", welcomed.role());
        assertNull(welcomed.name(), "an anonymous viewer has no name until they give one");
        assertTrue(fx.sessionStore.locate(Subject.of("viewer-1")).isPresent(), "a viewer's node is known, like anyone's");

        fx.sessions.hello(c.connection(), "h3", fx.token(customer("cust-wei")));
        assertRefused(ErrorCode.ALREADY_AUTHENTICATED, () -> fx.sessions.hello(c.connection(), "h4", fx.token(customer("cust-li"))));
        assertEquals("cust-wei", c.subject());

        fx.clock.advance(Duration.ofHours(2));
        assertRefused(ErrorCode.INVALID_TOKEN, () -> fx.sessions.hello(fx.open().connection(), "h5", expiring));
    }

    // ---- a second connection ----

    @Test
    void aSecondConnectionOfTheSameSubjectReplacesTheFirst() {
        EmbeddedClient first = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(first, staffMember);

        EmbeddedClient second = fx.signIn(customer("cust-wei"));

        assertEquals("session_replaced", first.lastOf("error").path("code").asText());
        assertEquals(4001, first.closeStatus().orElseThrow());
        assertFalse(first.open());
        assertEquals(second.connection(), fx.connections.get(Subject.of("cust-wei")).orElseThrow());
        Stages.await(fx.calls.hangup(staffMember.principal(), callId, "h1"));
        assertEquals(1, second.received("call.ended").size(), "messages go to the new connection");
        assertTrue(first.received("call.ended").isEmpty());
    }

    @Test
    void theReplacedConnectionClosingStartsNoGracePeriod() {
        EmbeddedClient first = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(first, staffMember);
        EmbeddedClient second = fx.signIn(customer("cust-wei"));

        first.disconnect();
        fx.clock.advance(JUST_PAST);
        fx.sessions.reapExpired();

        assertTrue(fx.record(callId).state().live(), "the customer is still here, on the new connection");
        assertEquals(second.connection(), fx.connections.get(Subject.of("cust-wei")).orElseThrow());
        assertTrue(fx.sessionStore.locate(Subject.of("cust-wei")).isPresent());
    }

    @Test
    void theWelcomeOfASecondConnectionCarriesTheLiveCall() {
        EmbeddedClient first = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(first, staffMember);

        ServerMessage.Welcome welcome = fx.sessions.hello(fx.open().connection(), "h1", fx.token(customer("cust-wei")));

        assertEquals(callId, welcome.call().callId());
        assertEquals(Boolean.TRUE, welcome.call().resumed());
    }

    // ---- grace period ----

    @Test
    void aCustomerWhoComesBackWithinTheGraceResumesTheirCall() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, staffMember);

        customer.disconnect();
        fx.clock.advance(JUST_INSIDE);
        fx.sessions.reapExpired();

        assertTrue(fx.record(callId).state().live());
        assertTrue(staffMember.received("call.ended").isEmpty());
        ServerMessage.Welcome welcome = fx.sessions.hello(fx.open().connection(), "h1", fx.token(customer("cust-wei")));
        assertEquals(callId, welcome.call().callId());
        assertEquals(Boolean.TRUE, welcome.call().resumed());

        fx.clock.advance(JUST_PAST);
        fx.sessions.reapExpired();
        assertTrue(fx.record(callId).state().live(), "coming back cancels the grace period");
    }

    @Test
    void aCustomerWhoStaysAwayPastTheGraceHasTheirCallEnded() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, staffMember);

        customer.disconnect();
        fx.clock.advance(JUST_PAST);
        fx.sessions.reapExpired();

        CallRecord call = fx.record(callId);
        assertEquals(CallState.ENDED, call.state());
        assertEquals(EndReason.CUSTOMER_DISCONNECTED, call.endReason());
        assertEquals("customer_disconnected", staffMember.lastOf("call.ended").path("reason").asText());
        assertEquals(0, fx.presenceOf("agent-zhang").load());
        assertNull(fx.sessions.hello(fx.open().connection(), "h1", fx.token(customer("cust-wei"))).call());
    }

    @Test
    void staffWhoStayAwayPastTheGraceEndTheirCallAndGoOffline() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, staffMember);

        staffMember.disconnect();
        assertFalse(fx.presenceOf("agent-zhang").connected(), "not routable while away");
        fx.clock.advance(JUST_PAST);
        fx.sessions.reapExpired();

        assertEquals(EndReason.STAFF_DISCONNECTED, fx.record(callId).endReason());
        assertEquals("staff_disconnected", customer.lastOf("call.ended").path("reason").asText());
        assertEquals(StaffStatus.OFFLINE, fx.presenceOf("agent-zhang").status());
    }

    @Test
    void staffWhoComeBackWithinTheGraceKeepTheirStatus() {
        EmbeddedClient staffMember = fx.availableStaff(staff("agent-zhang"));

        staffMember.disconnect();
        fx.clock.advance(JUST_INSIDE);
        ServerMessage.Welcome welcome = fx.sessions.hello(fx.open().connection(), "h1", fx.token(staff("agent-zhang")));

        assertEquals("available", welcome.presence().status());
        fx.clock.advance(JUST_PAST);
        fx.sessions.reapExpired();
        assertEquals(StaffStatus.AVAILABLE, fx.presenceOf("agent-zhang").status());
    }

    @Test
    void aWaitingCustomerKeepsTheirRequestWithinTheGraceAndLosesItAfter() {
        EmbeddedClient first = fx.signIn(customer("cust-wei"));
        RequestId requestId = fx.request(first, "loans"); // nobody serves loans: it waits

        first.disconnect();
        fx.clock.advance(JUST_INSIDE);
        EmbeddedClient back = fx.open();
        ServerMessage.Welcome welcome = fx.sessions.hello(back.connection(), "h1", fx.token(customer("cust-wei")));
        assertNotNull(welcome.request());
        assertEquals(requestId, welcome.request().requestId());
        assertEquals(ServerMessage.QueueState.WAITING, welcome.request().state());
        assertTrue(back.connection().isWaiting(), "the sweep tells a waiting customer their place");

        back.disconnect();
        fx.clock.advance(JUST_PAST);
        fx.sessions.reapExpired();

        assertTrue(fx.routingStore.openRequestOf(Subject.of("cust-wei")).isEmpty());
        assertEquals(EndReason.CUSTOMER_DISCONNECTED, fx.record(requestId).endReason());
    }

    // ---- finish ----

    @Test
    void finishingAtShutdownTellsTheSubjectToo() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient staffMember = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, staffMember);

        fx.sessions.finish(Subject.of("agent-zhang"), Role.STAFF, EndReason.SERVER_SHUTDOWN);

        assertEquals(EndReason.SERVER_SHUTDOWN, fx.record(callId).endReason());
        assertEquals("server_shutdown", customer.lastOf("call.ended").path("reason").asText());
        assertEquals("server_shutdown", staffMember.lastOf("call.ended").path("reason").asText());
        assertEquals(StaffStatus.OFFLINE, fx.presenceOf("agent-zhang").status());
    }

    @Test
    void finishingAWaitingCustomerCancelsTheirRequestAndTellsThem() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        RequestId requestId = fx.request(customer, "loans");

        fx.sessions.finish(Subject.of("cust-wei"), Role.CUSTOMER, EndReason.SERVER_SHUTDOWN);

        assertEquals("server_shutdown", customer.lastOf("request.cancelled").path("reason").asText());
        assertEquals(EndReason.SERVER_SHUTDOWN, fx.record(requestId).endReason());
    }

    // ----

    private static void assertRefused(ErrorCode code, Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(code, e.code(), e.getMessage());
    }
}
