package io.livedesk.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression: a customer's {@code request.create} context once steered the server. A request whose context
 * held {@code transfer_of} was started as a takeover of that call, so a customer could pull the accepting
 * staff member into someone else's call while it waited to be transferred. The context is the customer's
 * own words, shown to staff and nothing more; transfers are typed fields that only the server sets.
 */
class ClientContextTransferIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(600);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void aCustomersContextCannotTakeOverACallWaitingForTransferOnRedis() {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge", "livedesk.redis.url", REDIS.url()))) {
            hijackIsRefused(node);
        }
    }

    @Test
    void aCustomersContextCannotTakeOverACallWaitingForTransferInMemory() {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge"))) {
            hijackIsRefused(node);
        }
    }

    private static void hijackIsRefused(TestNode node) {
        // A call between a customer and an accounts member, waiting to be transferred to loans.
        WsClient staff = node.signIn(node.staffToken("staff-v", "Zhang Min", List.of("accounts"), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient victim = node.signIn(node.customerToken("cust-v", "Li Wei"));
        victim.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
        String callId = staff.awaitType("offer", WAIT).path("requestId").asText();
        staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
        victim.awaitType("call.started", WAIT);
        staff.requestOk(Map.of("type", "call.transfer", "callId", callId, "topic", "loans", "language", "en"));
        String supervisor = node.supervisorToken("sup-v", "S");
        JsonNode before = node.getJson("/api/calls/" + callId, supervisor);
        assertTrue(before.path("transferring").asBoolean(), before.toString());

        // Another customer names that call in their request's context.
        WsClient attacker = node.signIn(node.customerToken("cust-x", "Mallory"));
        JsonNode queued = attacker.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en",
                "context", Map.of("transfer_of", callId, "transfer_from", "Your manager", "transfer_to", "staff-l",
                        "transfer_topic", "accounts")));
        String attackerRequest = queued.path("requestId").asText();

        // A loans member with room for both takes the attacker's request.
        WsClient loans = node.signIn(node.staffToken("staff-l", "Wang Fang", List.of("loans"), List.of("en"), 2));
        loans.requestOk(Map.of("type", "presence.set", "status", "available"));
        JsonNode offer = loans.await(m -> "offer".equals(type(m)) && attackerRequest.equals(m.path("requestId").asText()), WAIT);
        assertFalse(offer.has("transfer"), "the customer's request is not shown as a transfer: " + offer);
        assertEquals("loans", offer.path("topic").asText(), offer.toString());
        assertEquals("Your manager", offer.path("context").path("transfer_from").asText(),
                "the customer's words are shown as their context, nothing more: " + offer);

        JsonNode started = loans.requestOk(Map.of("type", "offer.accept", "requestId", attackerRequest));
        assertEquals("call.started", type(started));
        assertEquals(attackerRequest, started.path("callId").asText(), "the attacker gets a call of their own");
        assertNotEquals(callId, started.path("callId").asText());
        assertEquals("Mallory", started.path("peer").path("name").asText());
        assertEquals("call.started", type(attacker.awaitType("call.started", WAIT)));

        // Nothing of the other call changed: same staff member, still waiting for its transfer, nobody told.
        JsonNode after = node.getJson("/api/calls/" + callId, supervisor);
        assertEquals("staff-v", after.path("staff").path("id").asText(), after.toString());
        assertTrue(after.path("transferring").asBoolean(), after.toString());
        assertEquals(0, after.path("formerStaff").size(), after.toString());
        assertEquals(before.path("state").asText(), after.path("state").asText());
        assertTrue(staff.poll(m -> "call.ended".equals(type(m)), QUIET).isEmpty(), "the staff member keeps the call");
        assertTrue(victim.poll(m -> "call.transferred".equals(type(m)) || "call.participants".equals(type(m)), QUIET)
                .isEmpty(), "the customer of the other call hears nothing");

        // The real transfer is still offered to the loans member, as a transfer, and takes the call over.
        JsonNode transfer = loans.await(m -> "offer".equals(type(m)) && !attackerRequest.equals(m.path("requestId").asText()), WAIT);
        assertEquals(callId, transfer.path("transfer").path("callId").asText(), transfer.toString());
        assertEquals("Zhang Min", transfer.path("transfer").path("from").asText(), transfer.toString());
    }
}
