package io.livedesk.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node driven past its admission limit by one connection flooding it with new work (through a real Redis,
 * so each message costs real store time): the flood is refused at once with a retry-after instead of waiting
 * behind its own backlog, a well-behaved client on another connection is served meanwhile, and the flooding
 * connection is served normally again once it stops.
 */
class OverloadIT {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final Duration T = Duration.ofSeconds(20);
    private static final int FLOOD = 3000;
    private TestNode node;

    @BeforeEach
    void start() {
        redis.flushAll();
        node = TestNode.start(Map.of(
                "livedesk.redis.url", redis.url(),
                "livedesk.server.worker-threads", 1,
                "livedesk.server.max-queue-delay", "50ms",
                "livedesk.server.retry-after", "1500ms",
                "livedesk.websocket.rate-per-second", 1_000_000,
                "livedesk.websocket.rate-burst", 1_000_000));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static String create(String id) {
        return "{\"type\":\"request.create\",\"id\":\"" + id + "\",\"topic\":\"loans\",\"language\":\"en\"}";
    }

    @Test
    void aFloodIsRefusedAtOnceWithRetryAfterOthersAreStillServedAndItRecoversWhenTheFloodStops() {
        try (WsClient flood = node.signIn(node.customerToken("flood-1", "Flood"));
             WsClient quiet = node.signIn(node.customerToken("quiet-1", "Quiet"))) {
            for (int i = 0; i < FLOOD; i++) {
                flood.sendRaw(create("f" + i));
            }
            JsonNode served = quiet.request(Map.of("type", "request.create", "topic", "loans", "language", "en"));
            assertEquals("request.queued", WsClient.type(served), "the well-behaved client is served: " + served);

            List<JsonNode> replies = flood.awaitMessages(FLOOD, T).stream()
                    .filter(m -> m.path("id").asText("").startsWith("f")).toList();
            Set<String> ids = new HashSet<>();
            replies.forEach(r -> ids.add(r.path("id").asText()));
            assertEquals(FLOOD, ids.size(), "every request got exactly one reply");

            List<JsonNode> refused = replies.stream().filter(m -> "overloaded".equals(WsClient.errorCode(m))).toList();
            assertTrue(refused.size() > FLOOD / 2, "most of the flood is refused: " + refused.size());
            refused.forEach(r -> assertEquals(1500, r.path("retryAfterMs").asLong(), r.toString()));
            int firstRefused = replies.indexOf(refused.get(0));
            int lastWorked = -1;
            for (int i = 0; i < replies.size(); i++) {
                if (!"overloaded".equals(WsClient.errorCode(replies.get(i)))) {
                    lastWorked = i;
                }
            }
            assertTrue(firstRefused < lastWorked, "refusals go out at once, not after the backlog ("
                    + firstRefused + " vs " + lastWorked + ")");

            // The flood is over: the same connection is served normally again.
            JsonNode open = flood.request(Map.of("type", "request.create", "topic", "loans", "language", "en"));
            assertTrue("request.queued".equals(WsClient.type(open)) || "invalid_state".equals(WsClient.errorCode(open)),
                    "served, not refused: " + open);
            assertEquals("pong", WsClient.type(flood.requestOk(Map.of("type", "ping"))));
        }
    }
}
