package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Draining and shutting down with two real LiveDesk bridge nodes (in-process {@link BridgeNode}s on loopback)
 * behind a real signaling node: a supervisor drains one through {@code /api/admin/bridges}, new calls go to
 * the other, the bridge's own {@code /colibri/stats} says {@code drain:true}, {@code /readyz} fails while
 * both drain and recovers on undrain; staff, customers and strangers are refused. A bridge node stopped
 * gracefully reports shutting down and its call moves to the other bridge.
 */
@Timeout(120)
class BridgeDrainIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private BridgeNode bridgeNode(String id) {
        BridgeNode node = BridgeNode.start(new BridgeNode.Settings(id, "127.0.0.1", TestNode.freeUdpPort(),
                "127.0.0.1", 0, 2, Duration.ofSeconds(60), false, "test"));
        open.add(node);
        return node;
    }

    private static String idOf(BridgeNode node) {
        return "127.0.0.1:" + node.httpAddress().getPort();
    }

    private TestNode signaling(BridgeNode... bridges) {
        List<String> urls = new ArrayList<>();
        for (BridgeNode b : bridges) {
            urls.add("http://" + idOf(b));
        }
        TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge", "livedesk.bridge.remote", urls,
                "livedesk.bridge.health-interval", "200ms", "livedesk.bridge.down-after", 2));
        open.add(node);
        return node;
    }

    private static String ownerOf(TestNode node, BridgeCall call) {
        return node.node().bridgePool().ownerOf(new MeetingId(call.callId())).orElseThrow();
    }

    private static JsonNode bridgeStats(BridgeNode bridge) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + idOf(bridge) + "/colibri/stats"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return TestNode.parse(r.body());
    }

    private static JsonNode listed(JsonNode list, String id) {
        for (JsonNode b : list.path("bridges")) {
            if (b.path("id").asText().equals(id)) {
                return b;
            }
        }
        throw new AssertionError("bridge " + id + " not listed: " + list);
    }

    @Test
    void aSupervisorDrainsABridgeNewCallsGoElsewhereAndReadinessFollows() throws Exception {
        BridgeNode a = bridgeNode("drain-a");
        BridgeNode b = bridgeNode("drain-b");
        TestNode node = signaling(a, b);
        String supervisor = node.supervisorToken("sup-1", "Wang Fang");
        String staff = node.staffToken("staff-x", "Zhang Min", List.of("accounts"), List.of("en"), 1);
        String customer = node.customerToken("cust-x", "Li Wei");

        await("both bridges checked").atMost(WAIT).until(() -> {
            JsonNode list = node.getJson("/api/admin/bridges", supervisor);
            return list.path("bridges").size() == 2 && !listed(list, idOf(a)).path("version").isNull()
                    && !listed(list, idOf(b)).path("version").isNull();
        });
        JsonNode first = listed(node.getJson("/api/admin/bridges", supervisor), idOf(a));
        assertEquals("remote", first.path("kind").asText());
        assertTrue(first.path("up").asBoolean());
        assertTrue(first.path("healthy").asBoolean());
        assertFalse(first.path("draining").asBoolean());
        assertEquals("test", first.path("version").asText());
        assertEquals(0, first.path("relays").asInt());
        assertEquals(200, node.get("/readyz", null).statusCode());

        // Only supervisors.
        String drainA = "/api/admin/bridges/" + idOf(a) + "/drain";
        assertEquals(401, node.post(drainA, "", null, Map.of()).statusCode());
        assertEquals(403, node.post(drainA, "", staff, Map.of()).statusCode());
        assertEquals(403, node.post(drainA, "", customer, Map.of()).statusCode());
        assertEquals(403, node.get("/api/admin/bridges", staff).statusCode());
        assertEquals(401, node.get("/api/admin/bridges", null).statusCode());
        assertEquals(404, node.post("/api/admin/bridges/10.9.9.9:1/drain", "", supervisor, Map.of()).statusCode());
        assertFalse(bridgeStats(a).path("drain").asBoolean(), "the refused requests changed nothing");

        HttpResponse<String> drained = node.post(drainA, "", supervisor, Map.of());
        assertEquals(200, drained.statusCode(), drained.body());
        assertTrue(TestNode.parse(drained.body()).path("draining").asBoolean());
        assertTrue(bridgeStats(a).path("drain").asBoolean(), "the state lives on the bridge");

        // Both idle: without the drain the first call would go to a.
        try (BridgeCall c1 = BridgeCall.start(node, "d1"); BridgeCall c2 = BridgeCall.start(node, "d2")) {
            c1.offerAudio();
            c2.offerAudio();
            assertEquals(idOf(b), ownerOf(node, c1));
            assertEquals(idOf(b), ownerOf(node, c2));
            assertEquals(0, a.bridge().stats().conferences());
            await("the next check reads the bridge's own drain state").atMost(WAIT).until(() ->
                    node.node().bridgePool().members().get(0).stats().draining());
            assertTrue(listed(node.getJson("/api/admin/bridges", supervisor), idOf(a)).path("draining").asBoolean());

            // Both draining: nothing can take a new call; calls in progress go on.
            assertEquals(200, node.post("/api/admin/bridges/" + idOf(b) + "/drain", "", supervisor, Map.of()).statusCode());
            HttpResponse<String> notReady = node.get("/readyz", null);
            assertEquals(503, notReady.statusCode());
            assertTrue(notReady.body().contains("no media bridge can take a new call"), notReady.body());
            assertFalse(node.getJson("/api/admin/bridges", supervisor).path("takesNewCalls").asBoolean());
            assertTrue(node.get("/metrics", null).body()
                    .contains("livedesk_media_bridge_draining{bridge=\"" + idOf(b) + "\"} 1.0"));
            assertEquals(2, b.bridge().stats().conferences());

            assertEquals(200, node.post("/api/admin/bridges/" + idOf(a) + "/undrain", "", supervisor, Map.of())
                    .statusCode());
            assertEquals(200, node.get("/readyz", null).statusCode(), "a can take calls again");
            assertFalse(bridgeStats(a).path("drain").asBoolean());
            try (BridgeCall c3 = BridgeCall.start(node, "d3")) {
                c3.offerAudio();
                assertEquals(idOf(a), ownerOf(node, c3), "eligible again (and b still drains)");
            }
            assertEquals(200, node.post("/api/admin/bridges/" + idOf(b) + "/undrain", "", supervisor, Map.of())
                    .statusCode());
            assertFalse(bridgeStats(b).path("drain").asBoolean());
        }
    }

    @Test
    void theInProcessBridgeIsListedAndDrainedInProcess() throws Exception {
        TestNode node = TestNode.start();
        open.add(node);
        String supervisor = node.supervisorToken("sup-3", "Wang Fang");
        JsonNode listed = listed(node.getJson("/api/admin/bridges", supervisor), node.nodeId());
        assertEquals("in-process", listed.path("kind").asText());

        HttpResponse<String> drained = node.post("/api/admin/bridges/" + node.nodeId() + "/drain", "", supervisor, Map.of());
        assertEquals(200, drained.statusCode(), drained.body());
        assertTrue(node.node().bridge().stats().draining(), "held by the in-process bridge itself");
        assertEquals(503, node.get("/readyz", null).statusCode(), "its one bridge takes no new call");

        assertEquals(200, node.post("/api/admin/bridges/" + node.nodeId() + "/undrain", "", supervisor, Map.of())
                .statusCode());
        assertFalse(node.node().bridge().stats().draining());
        assertEquals(200, node.get("/readyz", null).statusCode());
    }

    @Test
    void aBridgeNodeStoppedGracefullyHasItsCallMovedBeforeItStops() throws Exception {
        BridgeNode first = bridgeNode("stop-first");
        BridgeNode second = bridgeNode("stop-second");
        TestNode node = signaling(first, second);
        try (BridgeCall call = BridgeCall.start(node, "s1")) {
            call.offerAudio();
            BridgeNode holder = ownerOf(node, call).equals(idOf(first)) ? first : second;
            BridgeNode other = holder == first ? second : first;

            Thread stopping = new Thread(() -> {
                try {
                    holder.shutDown(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bridge-drain-it-stop");
            stopping.start();

            JsonNode restart = call.customer().await(m -> "call.renegotiate".equals(m.path("type").asText()), WAIT);
            assertTrue(restart.path("iceRestart").asBoolean(), "the customer is asked to restart ICE: " + restart);
            await("the old conference is expired there, so the bridge node stops well before its grace")
                    .atMost(WAIT).until(() -> !stopping.isAlive());

            String moved = call.offerAudio(BridgeCall.AUDIO_OFFER.replace("rb1x", "rb2x"));
            assertTrue(moved.contains(" " + other.bridge().port() + " typ host"),
                    "the new offer is answered from the other bridge:\n" + moved);
            assertEquals(Optional.of(idOf(other)), node.node().bridgePool().ownerOf(new MeetingId(call.callId())));
            JsonNode held = listed(node.getJson("/api/admin/bridges", node.supervisorToken("sup-2", "Wang Fang")),
                    idOf(holder));
            assertFalse(held.path("up").asBoolean());
            assertTrue(held.path("shuttingDown").asBoolean());
        }
    }
}
