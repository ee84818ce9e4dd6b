package io.livedesk.signaling.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.MutableClock;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/status over real sockets and Redis: public, any origin, no names; whether an advisor can take a
 * call now per queue, how many wait, and today's average wait; read again only after its cache time.
 */
class StatusApiIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void thePublicStatusSaysWhoCanTakeACallAndHowLongTheWaitIs() {
        REDIS.flushAll();
        MutableClock clock = new MutableClock(Instant.now());
        try (TestNode node = TestNode.start(Map.of("livedesk.redis.url", REDIS.url(), "livedesk.calls.media", "bridge",
                "livedesk.cluster.node-ttl", "10m", "livedesk.routing.ring-timeout", "10m"), clock)) {
            JsonNode nobody = status(node);
            assertFalse(nobody.path("advisorsAvailable").asBoolean(), nobody.toString());
            assertTrue(nobody.path("averageWaitTodaySeconds").isMissingNode() || nobody.path("averageWaitTodaySeconds").isNull());

            WsClient staff = node.signIn(node.staffToken("staff-s1", "Zhang Min", List.of("loans"), List.of("en"), 1));
            staff.requestOk(Map.of("type", "presence.set", "status", "available"));
            WsClient customer = node.signIn(node.customerToken("cust-s1", "Li Wei"));
            String r = customer.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"))
                    .path("requestId").asText();
            staff.awaitType("offer", WAIT);
            clock.advance(Duration.ofSeconds(30));
            staff.requestOk(Map.of("type", "offer.accept", "requestId", r));

            // The answer's counts are written a moment later (a burst at a time): read again, past the cache, until then.
            HttpResponse<String> raw = await().atMost(WAIT).until(() -> {
                clock.advance(StatusApi.CACHE);
                return node.get("/api/status", null);
            }, response -> TestNode.parse(response.body()).path("averageWaitTodaySeconds").isNumber());
            assertEquals(200, raw.statusCode());
            assertEquals("*", raw.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertFalse(raw.body().contains("Zhang") || raw.body().contains("Li Wei") || raw.body().contains("staff-s1"),
                    "no names or subjects: " + raw.body());
            JsonNode busy = TestNode.parse(raw.body());
            assertEquals(30, busy.path("averageWaitTodaySeconds").asLong(), busy.toString());
            assertFalse(queue(busy, "loans", "en").path("advisorsAvailable").asBoolean(), "the only advisor is in a call");

            customer.requestOk(Map.of("type", "call.hangup", "callId", r));
            staff.awaitType("call.ended", WAIT);
            clock.advance(StatusApi.CACHE);
            JsonNode free = status(node);
            assertTrue(free.path("advisorsAvailable").asBoolean(), free.toString());
            assertTrue(queue(free, "loans", "en").path("advisorsAvailable").asBoolean());
            assertFalse(queue(free, "loans", "zh").path("advisorsAvailable").asBoolean(), "they do not speak Chinese");
            assertEquals(0, queue(free, "loans", "en").path("estimatedWaitSeconds").asLong());
            staff.close();
            customer.close();
        }
    }

    @Test
    void outsideOpeningHoursTheStatusSaysClosedAndWhenItOpensAndRequestsAreRefused() {
        // Friday 2026-12-04 19:30 in Shanghai: accounts still open (until 20:00), loans closed since 17:00.
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T11:30:00Z"));
        try (TestNode node = TestNode.start(Map.of("livedesk.wallboard.time-zone", "Asia/Shanghai",
                "livedesk.cluster.node-ttl", "2h", "livedesk.cluster.reconnect-grace", "2h",
                "livedesk.routing.opening-hours", "mon-fri 08:00-20:00",
                "livedesk.routing.topics", List.of(Map.of("id", "accounts", "en", "Accounts"),
                        Map.of("id", "loans", "en", "Loans", "hours", "mon-fri 09:00-17:00"))), clock)) {
            WsClient staff = node.signIn(node.staffToken("staff-h1", "Zhang Min", List.of("loans", "accounts"), List.of("en"), 1));
            staff.requestOk(Map.of("type", "presence.set", "status", "available"));
            JsonNode now = status(node);
            JsonNode loans = queue(now, "loans", "en");
            assertFalse(loans.path("open").asBoolean(), now.toString());
            assertEquals("2026-12-07T01:00:00Z", loans.path("opensAt").asText(), "Monday 09:00 in Shanghai");
            assertFalse(loans.path("advisorsAvailable").asBoolean(), "nobody takes calls in a closed queue");
            assertTrue(queue(now, "accounts", "en").path("open").asBoolean());
            assertTrue(queue(now, "accounts", "en").path("opensAt").isNull());
            assertTrue(queue(now, "accounts", "en").path("advisorsAvailable").asBoolean());

            WsClient customer = node.signIn(node.customerToken("cust-h1", "Li Wei"));
            JsonNode refused = customer.request(Map.of("type", "request.create", "topic", "loans", "language", "en"));
            assertEquals("closed", refused.path("code").asText(), refused.toString());
            customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));

            clock.advance(Duration.ofMinutes(31)); // 20:01: accounts closes too
            clock.advance(StatusApi.CACHE);
            JsonNode later = status(node);
            assertFalse(queue(later, "accounts", "en").path("open").asBoolean(), later.toString());
            assertEquals("2026-12-07T00:00:00Z", queue(later, "accounts", "en").path("opensAt").asText());
            assertFalse(later.path("advisorsAvailable").asBoolean());
            staff.close();
            customer.close();
        }
    }

    private static JsonNode status(TestNode node) {
        return node.getJson("/api/status", null);
    }

    private static JsonNode queue(JsonNode status, String topic, String language) {
        for (JsonNode q : status.path("queues")) {
            if (topic.equals(q.path("topic").asText()) && language.equals(q.path("language").asText())) {
                return q;
            }
        }
        throw new AssertionError("no queue " + topic + "/" + language + " in " + status);
    }
}
