package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bridged call whose parties are connected to different nodes (one Redis): the node that answered
 * the call holds its media state, and the other node hands the customer's signals to it over the
 * cluster bus. The customer's offer, sent on node A, is answered by node B's bridge; an offer node B
 * cannot read comes back to the customer on A as an error with the signal's id; hanging up on A
 * expires the conference on B.
 */
class CrossNodeBridgeIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static Map<String, Object> settings(String nodeId) {
        return Map.of("livedesk.node-id", nodeId, "livedesk.redis.url", REDIS.url(), "livedesk.calls.media", "bridge");
    }

    @Test
    void theCustomersSignalsOnOneNodeAreAnsweredByTheBridgeOfTheNodeThatAnsweredTheCall() throws Exception {
        try (TestNode a = TestNode.start(settings("node-a")); TestNode b = TestNode.start(settings("node-b"))) {
            WsClient staff = b.signIn(b.staffToken("staff-x1", "Zhang Min", List.of("accounts"), List.of("en"), 1));
            staff.requestOk(Map.of("type", "presence.set", "status", "available"));
            WsClient customer = a.signIn(a.customerToken("cust-x1", "Li Wei"));
            String callId = customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"))
                    .path("requestId").asText();
            assertEquals(callId, staff.awaitType("offer", WAIT).path("requestId").asText());
            staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
            customer.awaitType("call.started", WAIT);

            customer.requestOk(Map.of("type", "call.signal", "callId", callId,
                    "sdp", Map.of("type", "offer", "sdp", BridgeCall.AUDIO_OFFER)));
            JsonNode answer = customer.await(m -> "call.signal".equals(type(m))
                    && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
            String sdp = answer.path("sdp").path("sdp").asText();
            Bridge bBridge = b.node().bridge();
            assertTrue(sdp.contains(" " + b.node().config().bridge().port() + " typ host"),
                    "answered with node B's bridge candidate: " + sdp);
            assertEquals(1, bBridge.stats().conferences(), "the conference is on node B");
            assertEquals(0, a.node().bridge().stats().conferences(), "and not on node A");

            // The staff member's own offer, on node B, is answered with the customer's track.
            String staffOffer = BridgeCall.AUDIO_OFFER.replace("rb1x", "st1x").replace("1001", "2002")
                    .replace("s1 t1", "s2 t2");
            staff.requestOk(Map.of("type", "call.signal", "callId", callId, "sdp", Map.of("type", "offer", "sdp", staffOffer)));
            JsonNode staffAnswer = staff.await(m -> "call.signal".equals(type(m))
                    && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
            assertTrue(staffAnswer.path("sdp").path("sdp").asText().contains("a=ssrc:1001 "),
                    "the staff member receives the customer's audio: " + staffAnswer);
            assertEquals(2, bBridge.conferenceStats(new MeetingId(callId)).endpoints().size());

            String badId = customer.sendRequest(Map.of("type", "call.signal", "callId", callId,
                    "sdp", Map.of("type", "offer", "sdp", "v=0\r\nnot sdp at all\r\n")));
            JsonNode error = customer.await(m -> "error".equals(type(m)) && badId.equals(m.path("id").asText()), WAIT);
            assertEquals("bad_sdp", error.path("code").asText(), error.toString());

            customer.requestOk(Map.of("type", "call.hangup", "callId", callId));
            staff.awaitType("call.ended", WAIT);
            await().atMost(WAIT).until(() -> bBridge.stats().conferences() == 0);
        }
    }
}
