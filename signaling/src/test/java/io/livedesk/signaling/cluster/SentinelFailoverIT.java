package io.livedesk.signaling.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisSentinelExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node on a {@code redis-sentinel://} URL, and the master killed under it: the Sentinel promotes the
 * replica, the node follows it without a restart, what was written before the crash is still there (the
 * ringing offer is accepted), and new work is served again.
 */
class SentinelFailoverIT {
    @RegisterExtension
    static final RedisSentinelExtension sentinel = new RedisSentinelExtension();

    private static final Duration T = Duration.ofSeconds(10);
    private static final Duration FAILOVER = Duration.ofSeconds(40);
    private TestNode node;

    @BeforeEach
    void start() {
        sentinel.flushAll();
        node = TestNode.start(Map.of("livedesk.redis.url", sentinel.url(), "livedesk.redis.timeout", "1s",
                "livedesk.routing.ring-timeout", "60s", "livedesk.calls.media", "p2p"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void theNodeFollowsTheMasterToItsReplicaAndLosesNothingReplicated() throws Exception {
        WsClient staff = node.signIn(node.staffToken("sf-staff", "Zhang Min", List.of("loans"), List.of("en"), 2));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient first = node.signIn(node.customerToken("sf-cust-1", "Li Wei"));
        first.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"));
        String requestId = staff.awaitType("offer", T).path("requestId").asText();
        sentinel.awaitReplicated();

        sentinel.killMaster();

        await("ready again").atMost(FAILOVER).pollInterval(Duration.ofMillis(250))
                .until(() -> node.get("/readyz", null).statusCode() == 200);
        // The offer made before the crash is still there: accepting it starts the call.
        await("the offer accepted").atMost(FAILOVER).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode reply = staff.request(Map.of("type", "offer.accept", "requestId", requestId));
            return "call.started".equals(WsClient.type(reply)) || !"unavailable".equals(WsClient.errorCode(reply));
        });
        assertEquals(requestId, first.awaitType("call.started", T).path("callId").asText());

        // New work goes through the promoted master.
        try (WsClient second = node.signIn(node.customerToken("sf-cust-2", "Wang Fang"))) {
            JsonNode queued = second.request(Map.of("type", "request.create", "topic", "loans", "language", "en"));
            assertEquals("request.queued", WsClient.type(queued), queued.toString());
            assertEquals(queued.path("requestId").asText(), staff.awaitType("offer", T).path("requestId").asText());
        }
    }
}
