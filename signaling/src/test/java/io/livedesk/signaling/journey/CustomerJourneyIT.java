package io.livedesk.signaling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The customer's journey on the desk, through real sockets and REST: a customer with two earlier calls starts
 * a third, and the staff member it rings for reads, before accepting, a brief listing both with their outcomes;
 * another customer's brief does not contain them; nobody outside the call reads a brief; a transfer carries the
 * customer's context and the transferring staff member's note, and the one who transferred keeps the call in
 * their history. On the embedded stores and on Redis.
 */
class CustomerJourneyIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void theBriefListsAnIdentifiedCustomersEarlierCallsInMemory() {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge"))) {
            journey(node);
        }
    }

    @Test
    void theBriefListsAnIdentifiedCustomersEarlierCallsOnRedis() {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge", "livedesk.redis.url", REDIS.url()))) {
            journey(node);
        }
    }

    private static void journey(TestNode node) {
        String staffToken = node.staffToken("staff-j1", "Zhang Min", List.of("loans", "cards"), List.of("en"), 1);
        WsClient staff = node.signIn(staffToken);
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        String customerToken = node.customerToken("cust-j1", "Li Wei");

        // First call: answered, then hung up.
        WsClient customer = node.signIn(customerToken);
        String first = request(customer, "loans", Map.of("page", "/loans/mortgage"));
        String firstOffer = staff.awaitType("offer", WAIT).path("requestId").asText();
        assertEquals(first, firstOffer);
        staff.requestOk(Map.of("type", "offer.accept", "requestId", first));
        customer.awaitType("call.started", WAIT);
        customer.requestOk(Map.of("type", "call.hangup", "callId", first));
        staff.awaitType("call.ended", WAIT);

        // Second: the customer gives up while nobody is free.
        staff.requestOk(Map.of("type", "presence.set", "status", "away"));
        String second = request(customer, "cards", Map.of("page", "/cards"));
        customer.requestOk(Map.of("type", "request.cancel", "requestId", second));

        // Between the calls the customer watched a livestream.
        String host = node.token("staff", "staff-j9", "Host", List.of("loans"), List.of("en"), 1, List.of("livestream"));
        var created = node.post("/api/broadcasts", "{\"title\":\"Saving for your first home\",\"language\":\"en\","
                + "\"topic\":\"loans\",\"scheduledAt\":\"2030-01-01T09:00:00Z\"}", host, Map.of());
        assertEquals(201, created.statusCode(), created.body());
        String broadcastId = created.headers().firstValue("Location").orElseThrow().replace("/api/broadcasts/", "");
        customer.requestOk(Map.of("type", "broadcast.join", "broadcastId", broadcastId));
        customer.requestOk(Map.of("type", "broadcast.leave", "broadcastId", broadcastId));

        // Third: it rings, and the brief is there before accepting.
        String third = request(customer, "loans", Map.of("page", "/loans/remortgage", "product", "home-loan"));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        assertEquals(third, staff.awaitType("offer", WAIT).path("requestId").asText());

        JsonNode brief = node.getJson("/api/calls/" + third + "/brief", staffToken);
        assertTrue(brief.path("identified").asBoolean(), brief.toString());
        assertEquals("/loans/remortgage", brief.path("context").path("page").asText());
        assertEquals("home-loan", brief.path("context").path("product").asText());
        assertEquals(List.of(second, first), ids(brief), "both earlier calls, newest first, not this one: " + brief);
        assertEquals(broadcastId, brief.path("watched").path(0).path("broadcastId").asText(), brief.toString());
        assertEquals("Saving for your first home", brief.path("watched").path(0).path("title").asText());
        JsonNode gaveUp = brief.path("previous").get(0);
        assertEquals("abandoned", gaveUp.path("outcome").asText());
        assertEquals("cards", gaveUp.path("call").path("topic").asText());
        assertFalse(gaveUp.path("call").has("transcript"), "never answered: no transcript");
        JsonNode answered = brief.path("previous").get(1);
        assertEquals("answered", answered.path("outcome").asText());
        assertEquals("Zhang Min", answered.path("call").path("staff").path("name").asText());
        assertEquals("/api/calls/" + first + "/transcript", answered.path("call").path("transcript").asText());
        JsonNode history = node.getJson("/api/calls/" + first, node.supervisorToken("sup-j1", "Chen"));
        assertEquals(history.path("waitMs").asLong(), answered.path("call").path("waitMs").asLong(),
                "the brief shows the same wait as the record");
        assertEquals(history.path("talkMs").asLong(), answered.path("call").path("talkMs").asLong());

        // Nobody else reads it: not the customer, not a colleague it does not ring for.
        assertEquals(404, node.get("/api/calls/" + third + "/brief", customerToken).statusCode());
        String colleagueToken = node.staffToken("staff-j2", "Wang Fang", List.of("loans"), List.of("en"), 1);
        assertEquals(404, node.get("/api/calls/" + third + "/brief", colleagueToken).statusCode());
        assertEquals(200, node.get("/api/calls/" + third + "/brief", node.supervisorToken("sup-j2", "Chen")).statusCode());

        // Another customer's brief, and an anonymous visitor's, carry none of it.
        WsClient other = node.signIn(node.customerToken("cust-j2", "Zhou Li"));
        String theirs = request(other, "cards", Map.of());
        JsonNode otherBrief = node.getJson("/api/calls/" + theirs + "/brief", node.supervisorToken("sup-j3", "Chen"));
        assertEquals(0, otherBrief.path("previous").size(), otherBrief.toString());
        assertEquals(0, otherBrief.path("watched").size(), otherBrief.toString());
        assertFalse(otherBrief.toString().contains(first) || otherBrief.toString().contains(second), otherBrief.toString());
        WsClient visitor = node.signIn(node.anonymousCustomerToken("cust-v1", "Visitor"));
        visitor.requestOk(Map.of("type", "request.cancel", "requestId", request(visitor, "cards", Map.of())));
        String again = request(visitor, "cards", Map.of());
        JsonNode visitorBrief = node.getJson("/api/calls/" + again + "/brief", node.supervisorToken("sup-j3", "Chen"));
        assertFalse(visitorBrief.path("identified").asBoolean(), visitorBrief.toString());
        assertEquals(0, visitorBrief.path("previous").size(), "an anonymous visitor has no history: " + visitorBrief);
        visitor.requestOk(Map.of("type", "request.cancel", "requestId", again));
        visitor.close();

        // Accept the third; transfer it with a note: the colleague's offer has the context, and the brief the note.
        staff.requestOk(Map.of("type", "offer.accept", "requestId", third));
        customer.awaitType("call.started", WAIT);
        staff.requestOk(Map.of("type", "call.transfer", "callId", third, "topic", "loans", "language", "en",
                "note", "wants to fix the rate for 5 years"));
        WsClient colleague = node.signIn(colleagueToken);
        colleague.requestOk(Map.of("type", "presence.set", "status", "available"));
        JsonNode transferOffer = colleague.awaitType("offer", WAIT);
        assertEquals(third, transferOffer.path("transfer").path("callId").asText());
        assertEquals("/loans/remortgage", transferOffer.path("context").path("page").asText(),
                "the customer's context goes with the transfer: " + transferOffer);
        JsonNode handedOver = node.getJson("/api/calls/" + third + "/brief", colleagueToken);
        assertEquals("Zhang Min", handedOver.path("handover").path("fromStaffName").asText(), handedOver.toString());
        assertEquals("wants to fix the rate for 5 years", handedOver.path("handover").path("note").asText());
        assertEquals(List.of(second, first), ids(handedOver), "the colleague sees the same history");
        colleague.requestOk(Map.of("type", "offer.accept", "requestId", transferOffer.path("requestId").asText()));
        assertEquals("transferred", staff.awaitType("call.ended", WAIT).path("reason").asText());

        // Whoever transferred the call keeps it in their history; the one who took it has it too.
        assertEquals(List.of(third, first), callIds(node.getJson("/api/calls", staffToken)));
        assertEquals(List.of(third), callIds(node.getJson("/api/calls", colleagueToken)));
        assertEquals(200, node.get("/api/calls/" + first + "/transcript", colleagueToken).statusCode(),
                "serving the customer now, the colleague may read their earlier transcripts");
        customer.close();
        other.close();
        colleague.close();
        staff.close();
    }

    private static String request(WsClient customer, String topic, Map<String, String> context) {
        return customer.requestOk(Map.of("type", "request.create", "topic", topic, "language", "en", "context", context))
                .path("requestId").asText();
    }

    private static List<String> ids(JsonNode brief) {
        List<String> out = new ArrayList<>();
        brief.path("previous").forEach(p -> out.add(p.path("call").path("callId").asText()));
        return out;
    }

    private static List<String> callIds(JsonNode calls) {
        List<String> out = new ArrayList<>();
        calls.path("calls").forEach(c -> out.add(c.path("callId").asText()));
        return out;
    }
}
