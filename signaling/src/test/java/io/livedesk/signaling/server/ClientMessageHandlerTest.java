package io.livedesk.signaling.server;

import io.livedesk.signaling.async.Stages;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisException;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.lastOfferTo;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static io.livedesk.signaling.testing.CallFlowFixture.supervisor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClientMessageHandler}: the gate every client message passes (signed in, role allowed), one reply
 * per request whatever happens, and failures turned into {@code error} replies with stable codes.
 */
class ClientMessageHandlerTest {

    private final CallFlowFixture fx = CallFlowFixture.bridged();

    // ---- the gate ----

    @Test
    void nothingButHelloIsHandledBeforeHello() {
        EmbeddedClient c = fx.open();

        JsonNode reply = c.request(new ClientMessage.Ping("p1"));

        assertError(reply, "unauthenticated");
        JsonNode create = c.request(new ClientMessage.RequestCreate("r1", "accounts", "en", 0, Map.of()));
        assertError(create, "unauthenticated");
        assertTrue(fx.routingStore.stats(List.of("accounts")).stream().allMatch(s -> s.waiting() == 0));

        JsonNode welcome = c.request(new ClientMessage.Hello("h1", fx.token(customer("cust-wei"))));
        assertEquals("welcome", welcome.path("type").asText());
        assertEquals("pong", c.request(new ClientMessage.Ping("p2")).path("type").asText());
    }

    static Stream<Arguments> forbidden() {
        Function<String, ClientMessage> accept = id -> new ClientMessage.OfferAccept(id, RequestId.of("r-1"));
        Function<String, ClientMessage> create = id -> new ClientMessage.RequestCreate(id, "accounts", "en", 0, Map.of());
        Function<String, ClientMessage> presence = id -> new ClientMessage.PresenceSet(id, "available");
        Function<String, ClientMessage> join = id -> new ClientMessage.CallJoin(id, CallId.of("r-1"), null);
        Function<String, ClientMessage> transfer = id -> new ClientMessage.CallTransfer(id, CallId.of("r-1"), "cards", "en", null);
        Function<String, ClientMessage> cancel = id -> new ClientMessage.RequestCancel(id, RequestId.of("r-1"));
        return Stream.of(
                Arguments.of("customer accepts an offer", customer("cust-wei"), accept),
                Arguments.of("customer sets a presence", customer("cust-wei"), presence),
                Arguments.of("customer joins a call", customer("cust-wei"), join),
                Arguments.of("customer transfers a call", customer("cust-wei"), transfer),
                Arguments.of("staff asks for service", staff("agent-zhang"), create),
                Arguments.of("staff cancels a request", staff("agent-zhang"), cancel),
                Arguments.of("staff joins a call", staff("agent-zhang"), join),
                Arguments.of("supervisor asks for service", supervisor("sup-chen"), create));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbidden")
    void aRoleMaySendOnlyItsMessages(String what, Principal who, Function<String, ClientMessage> message) {
        EmbeddedClient c = fx.signIn(who);

        JsonNode reply = c.request(message.apply("x1"));

        assertError(reply, "forbidden");
        assertTrue(reply.path("message").asText().contains(who.role().wire()), reply.toString());
    }

    // ---- one reply per request ----

    @Test
    void everyRequestOfAWholeCallGetsExactlyOneReply() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));
        EmbeddedClient colleague = fx.signIn(staff("agent-li", "cards"));
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));

        assertReply("presence", agent.request(new ClientMessage.PresenceSet("a1", "available")));
        assertReply("presence", colleague.request(new ClientMessage.PresenceSet("b1", "available")));
        assertReply("request.queued", customer.request(new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of())));
        RequestId callId = lastOfferTo(agent);
        assertReply("call.started", agent.request(new ClientMessage.OfferAccept("a2", RequestId.of(callId.value()))));
        assertReply("ack", customer.request(signal("c2", callId.value(), BrowserOffer.of("custpage", 1))));
        assertReply("ack", agent.request(signal("a3", callId.value(), BrowserOffer.of("agentpage", 2))));
        assertEquals(CallState.ACTIVE, fx.record(callId).state());
        assertReply("call.started", sup.request(new ClientMessage.CallJoin("s1", CallId.of(callId), "barge")));
        assertReply("ack", sup.request(signal("s2", callId.value(), BrowserOffer.of("suppage", 3))));
        assertReply("call.ended", sup.request(new ClientMessage.CallHangup("s3", CallId.of(callId))));
        assertReply("call.transferring", agent.request(new ClientMessage.CallTransfer("a4", CallId.of(callId), "cards", "en", null)));
        assertReply("call.started", colleague.request(new ClientMessage.OfferAccept("b2", lastOfferTo(colleague))));
        assertReply("ack", colleague.request(signal("b3", callId.value(), BrowserOffer.of("colleaguepage", 4))));
        assertReply("pong", customer.request(new ClientMessage.Ping("c3")));
        assertReply("call.ended", customer.request(new ClientMessage.CallHangup("c4", CallId.of(callId))));
        assertError(customer.request(new ClientMessage.CallHangup("c5", CallId.of(callId))), "invalid_state");
    }

    @Test
    void cancellingARequestThatWasJustAcceptedHangsUp() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.availableStaff(staff("agent-zhang"));
        String callId = customer.requestOk(new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of()))
                .path("requestId").asText();
        agent.requestOk(new ClientMessage.OfferAccept("a1", RequestId.of(callId)));

        JsonNode reply = customer.request(new ClientMessage.RequestCancel("c2", RequestId.of(callId)));

        assertReply("call.ended", reply);
        assertEquals("customer_hangup", reply.path("reason").asText());
        assertEquals("customer_hangup", agent.lastOf("call.ended").path("reason").asText());
    }

    @Test
    void anAcceptGivenAgainAfterItsFirstAttemptWentThroughTellsBothOfTheCallOnce() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.availableStaff(staff("agent-zhang"));
        EmbeddedClient colleague = fx.signIn(staff("agent-li"));
        RequestId requestId = RequestId.of(customer.requestOk(new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of()))
                .path("requestId").asText());
        // The first attempt's store step went through (request out of routing, call started) but its reply was
        // lost with Redis's answer, so the member asks again.
        Stages.await(fx.calls.accept(agent.principal(), new ClientMessage.OfferAccept("a0", requestId)));
        assertEquals(1, customer.received("call.started").size());
        assertTrue(fx.routingStore.request(requestId).isEmpty());

        assertError(colleague.request(new ClientMessage.OfferAccept("b1", requestId)), "offer_expired");
        assertReply("call.started", agent.request(new ClientMessage.OfferAccept("a1", requestId)));
        assertEquals(requestId.value(), customer.lastOf("call.started").path("callId").asText());
        assertEquals(2, customer.received("call.started").size());
        assertTrue(customer.lastOf("call.started").path("resumed").asBoolean(), "the customer hears of it again, resumed");
        assertEquals(CallState.CONNECTING, fx.record(requestId).state());
        assertEquals(Subject.of("agent-zhang"), fx.record(requestId).staffId());
        assertEquals(1, fx.presenceStore.get(Subject.of("agent-zhang")).orElseThrow().load(), "one call, counted once");
    }

    // ---- failures ----

    @Test
    void aRefusedRequestIsAnErrorWithItsCode() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));

        assertError(customer.request(new ClientMessage.RequestCreate("c1", "mortgages", "en", 0, Map.of())), "unknown_topic");
        assertError(customer.request(new ClientMessage.RequestCreate("c2", "accounts", "fr", 0, Map.of())), "unsupported_language");
        assertError(customer.request(new ClientMessage.RequestCreate("c3", "accounts", "en", 5, Map.of())), "forbidden");
        assertError(customer.request(new ClientMessage.RequestCancel("c4", RequestId.of("r-unknown"))), "not_found");
        assertError(agent.request(new ClientMessage.OfferAccept("a1", RequestId.of("r-unknown"))), "offer_expired");
        assertError(agent.request(new ClientMessage.CallHangup("a2", CallId.of("r-unknown"))), "not_found");
        assertError(customer.request(new ClientMessage.Hello("c5", fx.token(customer("cust-wei")))), "already_authenticated");
    }

    @Test
    void aStoreThatDoesNotAnswerIsUnavailableAndMayBeRetried() {
        CallFlowFixture flaky = CallFlowFixture.bridged(store -> CallFlowFixture.failing(store, "enqueue",
                new RedisException("Command timed out after 2 second(s)")));
        EmbeddedClient customer = flaky.signIn(customer("cust-wei"));

        JsonNode reply = customer.request(new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of()));

        assertError(reply, "unavailable");
        assertFalse(reply.path("message").asText().contains("timed out"), reply.toString());
    }

    @Test
    void badSdpIsReportedAsSuch() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, agent);

        JsonNode reply = customer.request(new ClientMessage.CallSignal("c1", callId,
                new ClientMessage.Sdp("offer", "v=0\r\nnot an offer\r\n"), null));

        assertError(reply, "bad_sdp");
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorWithAReferenceAndNoDetail() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, agent);
        fx.bridge.breakWith(new IllegalStateException("secret internals at Bridge.java:42"));

        JsonNode reply = customer.request(signal("c1", callId.value(), BrowserOffer.of("custpage", 1)));

        assertError(reply, "internal");
        String message = reply.path("message").asText();
        assertTrue(message.matches("internal error, reference [0-9a-f]{8}"), message);
        assertFalse(message.contains("secret"), message);

        fx.bridge.breakWith(null);
        assertReply("ack", customer.request(signal("c2", callId.value(), BrowserOffer.of("custpage", 1))));
    }

    @Test
    void eachInternalErrorHasItsOwnReference() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));
        CallId callId = fx.call(customer, agent);
        fx.bridge.breakWith(new IllegalStateException("bug"));

        String first = customer.request(signal("c1", callId.value(), BrowserOffer.of("custpage", 1))).path("message").asText();
        String second = customer.request(signal("c2", callId.value(), BrowserOffer.of("custpage", 1))).path("message").asText();

        assertFalse(first.equals(second), first + " / " + second);
    }

    // ---- presence ----

    @Test
    void anyMessageFromStaffCountsAsActivity() {
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));
        EmbeddedClient sup = fx.signIn(supervisor("sup-chen"));
        long signedIn = fx.presenceOf("agent-zhang").lastActivityMs();

        fx.clock.advance(Duration.ofMinutes(5));
        agent.request(new ClientMessage.Ping("a1"));
        sup.request(new ClientMessage.OfferDecline("s1", RequestId.of("r-unknown"))); // refused, but they are at their desk

        assertEquals(fx.clock.millis(), fx.presenceOf("agent-zhang").lastActivityMs());
        assertEquals(fx.clock.millis(), fx.presenceOf("sup-chen").lastActivityMs());
        assertTrue(fx.presenceOf("agent-zhang").lastActivityMs() > signedIn);
    }

    @Test
    void becomingAvailableRingsWithWaitingWork() {
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));
        RequestId requestId = RequestId.of(customer.requestOk(
                new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of())).path("requestId").asText());
        EmbeddedClient agent = fx.signIn(staff("agent-zhang"));

        JsonNode reply = agent.request(new ClientMessage.PresenceSet("a1", "available"));

        assertEquals("available", reply.path("status").asText());
        assertEquals(requestId, lastOfferTo(agent));
    }

    @Test
    void aStoreFailingAfterTheReplyDoesNotAnswerTheRequestTwiceAndTheSweepMatchesItLater() {
        CallFlowFixture fx = CallFlowFixture.bridged(store -> CallFlowFixture.failing(store, "matchRequest",
                new RedisException("Command timed out after 2 second(s)")));
        EmbeddedClient agent = fx.availableStaff(staff("agent-zhang"));
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));

        List<JsonNode> replies = customer.send(new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of()));

        assertEquals(1, replies.size(), "one reply to one request.create: " + replies);
        assertReply("request.queued", replies.get(0));
        RequestId requestId = RequestId.of(replies.get(0).path("requestId").asText());
        fx.routing.sweep(List.of(Subject.of("agent-zhang")), List.of(), () -> true);
        assertEquals(requestId, lastOfferTo(agent), "the sweep offers what the failed match did not");
    }

    @Test
    void aStoreFailingOnEnqueueLeavesNoQueuedCallBehind() {
        CallFlowFixture fx = CallFlowFixture.bridged(store -> CallFlowFixture.failing(store, "enqueue",
                new RedisException("Command timed out after 2 second(s)")));
        EmbeddedClient customer = fx.signIn(customer("cust-wei"));

        JsonNode reply = customer.request(new ClientMessage.RequestCreate("c1", "accounts", "en", 0, Map.of()));

        assertError(reply, "unavailable");
        assertEquals(List.of(), fx.callStore.recent(10).stream().filter(c -> c.state() == CallState.QUEUED)
                .map(c -> c.callId()).toList(), "no call record left queued for a request that was never queued");
    }

    // ----

    private static ClientMessage.CallSignal signal(String id, String callId, BrowserOffer offer) {
        return new ClientMessage.CallSignal(id, CallId.of(callId), new ClientMessage.Sdp("offer", offer.sdp()), null);
    }

    private static void assertReply(String type, JsonNode reply) {
        assertEquals(type, reply.path("type").asText(), reply.toString());
    }

    private static void assertError(JsonNode reply, String code) {
        assertEquals("error", reply.path("type").asText(), reply.toString());
        assertEquals(code, reply.path("code").asText(), reply.toString());
    }
}
