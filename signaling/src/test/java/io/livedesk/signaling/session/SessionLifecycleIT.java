package io.livedesk.signaling.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens between a dropped connection and its return, on real sockets: resuming a call or a
 * queued request within the grace period, the end of both after it, and a second sign-in replacing the first.
 */
class SessionLifecycleIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestNode node;

    @BeforeEach
    void start() {
        node = TestNode.start(Map.of("livedesk.cluster.reconnect-grace", "1500ms", "livedesk.calls.media", "p2p"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private record Call(String callId, WsClient staff, WsClient customer) {
    }

    private Call connectedCall(String staffId, String customerId) {
        WsClient staff = node.signIn(node.staffToken(staffId, "Zhang Min", List.of("accounts"), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient customer = node.signIn(node.customerToken(customerId, "Li Wei"));
        customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
        String requestId = staff.awaitType("offer", WAIT).path("requestId").asText();
        staff.requestOk(Map.of("type", "offer.accept", "requestId", requestId));
        customer.awaitType("call.started", WAIT);
        return new Call(requestId, staff, customer);
    }

    @Test
    void customerWhoReconnectsWithinGraceGetsTheCallBackAndStaffIsAskedToReoffer() {
        Call call = connectedCall("staff-r1", "cust-r1");
        call.customer().close();

        WsClient again = node.connect();
        JsonNode welcome = again.hello(node.customerToken("cust-r1", "Li Wei"));
        assertEquals(call.callId(), welcome.path("call").path("callId").asText());
        assertTrue(welcome.path("call").path("resumed").asBoolean());
        assertEquals(call.callId(), call.staff().awaitType("call.restart", WAIT).path("callId").asText());

        // Signals flow to the new connection.
        call.staff().requestOk(Map.of("type", "call.signal", "callId", call.callId(),
                "sdp", Map.of("type", "offer", "sdp", "v=0\r\n")));
        assertEquals("staff", again.awaitType("call.signal", WAIT).path("from").asText());
        again.close();
        call.staff().close();
    }

    @Test
    void aCustomerAwayWhenTheStaffHungUpLearnsHowTheCallEndedOnReturn() {
        Call call = connectedCall("staff-r5", "cust-r5");
        call.customer().close();
        call.staff().requestOk(Map.of("type", "call.hangup", "callId", call.callId()));

        WsClient again = node.connect();
        JsonNode welcome = again.hello(node.customerToken("cust-r5", "Li Wei"));
        assertTrue(welcome.path("call").isMissingNode() || welcome.path("call").isNull(), welcome.toString());
        assertEquals(call.callId(), welcome.path("ended").path("callId").asText(), welcome.toString());
        assertEquals("staff_hangup", welcome.path("ended").path("reason").asText());
        again.close();

        WsClient staffAgain = node.connect();
        JsonNode staffWelcome = staffAgain.hello(node.staffToken("staff-r5", "Zhang Min", List.of("accounts"), List.of("en"), 1));
        assertEquals(call.callId(), staffWelcome.path("ended").path("callId").asText(), "the staff member too");
        staffAgain.close();

        WsClient stranger = node.connect();
        assertTrue(stranger.hello(node.customerToken("cust-r5b", "Wang")).path("ended").isMissingNode(),
                "no one else is told of it");
        stranger.close();
    }

    @Test
    void aStaffMemberBackWithinGraceIsShownTheOfferStillRingingAndCanTakeIt() {
        WsClient staff = node.signIn(node.staffToken("staff-r6", "Zhang Min", List.of("accounts"), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient customer = node.signIn(node.customerToken("cust-r6", "Li Wei"));
        customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
        JsonNode offer = staff.awaitType("offer", WAIT);
        staff.close();

        WsClient again = node.connect();
        again.hello(node.staffToken("staff-r6", "Zhang Min", List.of("accounts"), List.of("en"), 1));
        JsonNode ringingAgain = again.awaitType("offer", WAIT);
        assertEquals(offer.path("requestId").asText(), ringingAgain.path("requestId").asText());
        long left = ringingAgain.path("expiresInMs").asLong();
        assertTrue(left > 0 && left <= offer.path("expiresInMs").asLong(), "the time it has left: " + left);

        again.requestOk(Map.of("type", "offer.accept", "requestId", offer.path("requestId").asText()));
        customer.awaitType("call.started", WAIT);
        again.close();
        customer.close();
    }

    @Test
    void callEndsWithAReasonWhenACustomerStaysAwayPastGrace() {
        Call call = connectedCall("staff-r2", "cust-r2");
        call.customer().close();

        JsonNode ended = call.staff().awaitType("call.ended", WAIT);
        assertEquals("customer_disconnected", ended.path("reason").asText());
        JsonNode record = node.getJson("/api/calls/" + call.callId(), node.supervisorToken("sup-r2", "Sup"));
        assertEquals("ended", record.path("state").asText());
        assertEquals("customer_disconnected", record.path("endReason").asText());
        // The staff member is free again.
        JsonNode presence = call.staff().await(m -> "presence".equals(WsClient.type(m))
                && m.path("load").asInt() == 0, WAIT);
        assertEquals("available", presence.path("status").asText());
        call.staff().close();
    }

    @Test
    void queuedCustomerKeepsTheirPlaceWithinGraceAndLosesItAfter() {
        WsClient customer = node.signIn(node.customerToken("cust-r3", "Li Wei"));
        String requestId = customer.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "zh"))
                .path("requestId").asText();
        customer.close();

        WsClient back = node.signIn(node.customerToken("cust-r3", "Li Wei"));
        assertEquals(requestId, back.history().get(0).path("request").path("requestId").asText(),
                "welcome restores the open request");
        back.close();

        String supervisor = node.supervisorToken("sup-r3", "Sup");
        await().atMost(WAIT).until(() -> "ended".equals(
                node.getJson("/api/calls/" + requestId, supervisor).path("state").asText()));
        assertEquals("customer_disconnected",
                node.getJson("/api/calls/" + requestId, supervisor).path("endReason").asText());
    }

    @Test
    void staffWhoStaysAwayPastGraceGoesOffline() {
        WsClient staff = node.signIn(node.staffToken("staff-r4", "Wang Fang", List.of("cards"), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        staff.close();
        String supervisor = node.supervisorToken("sup-r4", "Sup");
        await().atMost(WAIT).until(() -> staffStatus(supervisor, "staff-r4").equals("offline"));
    }

    @Test
    void secondSignInReplacesTheFirstConnection() {
        String token = node.staffToken("staff-r5", "Chen Jie", List.of("cards"), List.of("en"), 1);
        WsClient first = node.signIn(token);
        WsClient second = node.signIn(token);
        assertEquals("session_replaced", WsClient.errorCode(first.awaitType("error", WAIT)));
        assertEquals(4001, first.awaitClose(WAIT));
        assertEquals("pong", WsClient.type(second.requestOk(Map.of("type", "ping"))));
        assertFalse(first.isOpen());
        second.close();
    }

    private String staffStatus(String supervisorToken, String staffId) {
        for (JsonNode s : node.getJson("/api/staff", supervisorToken).path("staff")) {
            if (s.path("id").asText().equals(staffId)) {
                return s.path("status").asText();
            }
        }
        return "missing";
    }
}
