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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing steps hold no worker while Redis works on them: with a single worker thread and a real Redis
 * holding every command (CLIENT PAUSE), customers' new requests are in flight while another connection is
 * still answered; once Redis answers, every request is queued. A node whose workers waited on Redis would
 * answer nobody until Redis did.
 */
class SlowStoreIT {
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final Duration PAUSE = Duration.ofSeconds(5);
    private static final Duration T = Duration.ofSeconds(20);
    private static final int CUSTOMERS = 5;
    private TestNode node;

    @BeforeEach
    void start() {
        redis.flushAll();
        node = TestNode.start(Map.of(
                "livedesk.redis.url", redis.url(),
                "livedesk.redis.timeout", "15s",
                "livedesk.server.worker-threads", 1,
                "livedesk.server.max-queue-delay", "10s"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void requestsWaitingOnRedisHoldNoWorkerAndAreQueuedOnceItAnswers() {
        List<WsClient> customers = new ArrayList<>();
        try (WsClient other = node.signIn(node.customerToken("other", "Other"))) {
            for (int i = 0; i < CUSTOMERS; i++) {
                customers.add(node.signIn(node.customerToken("slow-" + i, "Slow " + i)));
            }
            redis.pauseClients(PAUSE);
            List<String> ids = new ArrayList<>();
            for (WsClient c : customers) {
                ids.add(c.sendRequest(Map.of("type", "request.create", "topic", "loans", "language", "en")));
            }

            JsonNode pong = other.request(Map.of("type", "ping"));

            assertEquals("pong", WsClient.type(pong), pong.toString());
            for (WsClient c : customers) {
                assertTrue(c.queued().stream().noneMatch(m -> "request.queued".equals(WsClient.type(m))),
                        "the ping was answered only after Redis had answered a request (a worker waited on Redis): " + c.queued());
            }
            for (int i = 0; i < CUSTOMERS; i++) {
                JsonNode queued = customers.get(i).awaitReply(ids.get(i), T);
                assertEquals("request.queued", WsClient.type(queued), queued.toString());
            }
        } finally {
            customers.forEach(WsClient::close);
        }
    }
}
