package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bridge-mode signaling on real sockets, without browsers: both parties are told to offer; SDP the
 * server cannot read or answer gets {@code bad_sdp} and the call goes on; peer-to-peer is unchanged.
 * (The media itself: {@code e2e.BrowserBridgeCallIT}.)
 */
class BridgeSignalingIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private record Call(String callId, JsonNode staffStarted, JsonNode customerStarted, WsClient staff, WsClient customer) {
    }

    private static Call call(TestNode node, String staffId, String customerId) {
        WsClient staff = node.signIn(node.staffToken(staffId, "Zhang Min", List.of("accounts"), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient customer = node.signIn(node.customerToken(customerId, "Li Wei"));
        customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
        String requestId = staff.awaitType("offer", WAIT).path("requestId").asText();
        JsonNode staffStarted = staff.requestOk(Map.of("type", "offer.accept", "requestId", requestId));
        JsonNode customerStarted = customer.awaitType("call.started", WAIT);
        return new Call(requestId, staffStarted, customerStarted, staff, customer);
    }

    @Test
    void bothPartiesOfferAndBadSdpIsRefusedWhileTheCallGoesOn() throws Exception {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.port", freeUdpPort()))) {
            Call call = call(node, "staff-b1", "cust-b1");
            for (JsonNode started : List.of(call.staffStarted(), call.customerStarted())) {
                assertEquals("call.started", started.path("type").asText());
                assertTrue(started.path("initiator").asBoolean(), started.toString());
                assertEquals("bridge", started.path("media").asText(), started.toString());
            }

            JsonNode garbage = call.customer().request(Map.of("type", "call.signal", "callId", call.callId(),
                    "sdp", Map.of("type", "offer", "sdp", "v=0\r\nthis is not sdp\r\n")));
            assertEquals("bad_sdp", WsClient.errorCode(garbage), garbage.toString());
            assertFalse(garbage.path("message").asText().isBlank(), garbage.toString());

            JsonNode noMedia = call.staff().request(Map.of("type", "call.signal", "callId", call.callId(),
                    "sdp", Map.of("type", "offer", "sdp", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")));
            assertEquals("bad_sdp", WsClient.errorCode(noMedia), noMedia.toString());

            JsonNode answer = call.customer().request(Map.of("type", "call.signal", "callId", call.callId(),
                    "sdp", Map.of("type", "answer", "sdp", "v=0\r\n")));
            assertEquals("bad_sdp", WsClient.errorCode(answer), answer.toString());

            // Trickled candidates are accepted and not passed on (the offer carries them).
            call.customer().requestOk(Map.of("type", "call.signal", "callId", call.callId(), "candidate",
                    Map.of("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50216 typ host", "sdpMid", "0")));

            // The call is still live: it can be hung up.
            JsonNode ended = call.customer().requestOk(Map.of("type", "call.hangup", "callId", call.callId()));
            assertEquals("call.ended", ended.path("type").asText());
            assertEquals("customer_hangup", call.staff().awaitType("call.ended", WAIT).path("reason").asText());
            assertEquals(0, node.node().bridge().stats().conferences());
            call.staff().close();
            call.customer().close();
        }
    }

    @Test
    void peerToPeerCallStartedIsUnchanged() {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "p2p"))) {
            assertEquals(null, node.node().bridge());
            Call call = call(node, "staff-p1", "cust-p1");
            assertTrue(call.staffStarted().path("initiator").asBoolean());
            assertFalse(call.customerStarted().path("initiator").asBoolean());
            assertFalse(call.staffStarted().has("media"));
            assertFalse(call.customerStarted().has("media"));
            call.staff().close();
            call.customer().close();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
