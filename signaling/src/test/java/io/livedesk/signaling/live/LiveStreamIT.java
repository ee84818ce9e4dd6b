package io.livedesk.signaling.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Livestreams over the protocol, with two nodes sharing one real Redis: presence counted alike on both,
 * chat batched and limited per viewer, moderation reaching viewers on both nodes at once, a removed viewer
 * refused on either, viewer tokens refused for everything else, and "consult now" becoming a routed
 * request that carries the broadcast and the card.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LiveStreamIT {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static final Duration T = Duration.ofSeconds(10);
    private static final long HEARTBEAT_MS = 300;

    private TestNode a;
    private TestNode b;
    private final List<WsClient> clients = Collections.synchronizedList(new ArrayList<>());
    private String broadcastId;
    private WsClient host;

    @BeforeEach
    void twoNodesAndALiveBroadcast() {
        redis.flushAll();
        a = TestNode.start(settings("node-a"));
        b = TestNode.start(settings("node-b"));
        String hostToken = a.token("staff", "host-1", "Lin Wei", List.of("loans"), List.of("en"), 1, List.of("livestream"));
        HttpResponse<String> created = a.post("/api/broadcasts", """
                {"title":"Saving for your first home","language":"en","topic":"loans","scheduledAt":"2026-12-01T09:00:00Z"}""",
                hostToken, Map.of());
        assertEquals(201, created.statusCode(), created.body());
        broadcastId = parse(created.body()).path("id").asText();
        assertEquals(200, a.post("/api/broadcasts/" + broadcastId + "/live", "", hostToken, Map.of()).statusCode());
        host = track(a.signIn(hostToken));
        JsonNode joined = host.requestOk(Map.of("type", "broadcast.join", "broadcastId", broadcastId));
        assertTrue(joined.path("onStage").asBoolean());
        assertEquals("live", joined.path("broadcast").path("state").asText());
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static Map<String, Object> settings(String nodeId) {
        Map<String, Object> s = new HashMap<>();
        s.put("livedesk.node-id", nodeId);
        s.put("livedesk.redis.url", redis.url());
        s.put("livedesk.routing.sweep-interval", "100ms");
        s.put("livedesk.cluster.heartbeat-interval", "500ms");
        s.put("livedesk.live.heartbeat-interval", HEARTBEAT_MS + "ms");
        s.put("livedesk.live.viewer-ttl", "1500ms");
        s.put("livedesk.live.stats-interval", "200ms");
        s.put("livedesk.live.chat-flush-interval", "400ms");
        s.put("livedesk.calls.media", "p2p");
        return s;
    }

    private WsClient track(WsClient c) {
        clients.add(c);
        return c;
    }

    private static JsonNode parse(String body) {
        try {
            return WsClient.json().readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private WsClient viewer(TestNode node, String subject, String name) {
        WsClient v = track(node.signIn(node.token("viewer", subject, name, List.of(), List.of(), 1)));
        JsonNode joined = v.requestOk(Map.of("type", "broadcast.join", "broadcastId", broadcastId));
        assertEquals("broadcast.joined", WsClient.type(joined));
        assertFalse(joined.path("onStage").asBoolean());
        return v;
    }

    private Map<String, Object> about(String type, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("broadcastId", broadcastId);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    /** Waits for a {@code broadcast.stats} with this many viewers. */
    private static JsonNode awaitCount(WsClient c, long viewers) {
        return c.await(m -> "broadcast.stats".equals(WsClient.type(m)) && m.path("viewers").asLong() == viewers, T);
    }

    /** Every chat message text this client receives until it has seen {@code text}, across batches. */
    private static List<String> chatUntil(WsClient c, String text, List<JsonNode> batches) {
        List<String> texts = new ArrayList<>();
        while (!texts.contains(text)) {
            JsonNode batch = c.awaitType("chat.batch", T);
            batches.add(batch);
            batch.path("messages").forEach(m -> texts.add(m.path("text").asText()));
        }
        return texts;
    }

    // ---- presence ----

    @Test
    void bothNodesCountTheSameViewersAndALeaveLowersTheCountEverywhere() {
        WsClient v1 = viewer(a, "v-1", "Ann");
        WsClient v2 = viewer(b, "v-2", "Bo");
        WsClient v3 = viewer(b, "v-3", "Cy");

        awaitCount(host, 3);
        awaitCount(v1, 3);
        awaitCount(v2, 3);
        awaitCount(v3, 3);

        v3.requestOk(about("broadcast.leave"));
        awaitCount(host, 2);
        awaitCount(v1, 2);
        v2.close(); // a closed socket leaves too
        awaitCount(host, 1);
        awaitCount(v1, 1);

        JsonNode page = host.requestOk(about("broadcast.viewers"));
        assertEquals(1, page.path("total").asLong());
        assertEquals("v-1", page.path("viewers").get(0).path("viewerId").asText());
        assertEquals("Ann", page.path("viewers").get(0).path("name").asText());
    }

    @Test
    void aViewerWhoseNodeStopsExpiresAfterTheTimeToLive() {
        viewer(a, "v-1", "Ann");
        viewer(b, "v-2", "Bo");
        awaitCount(host, 2);

        b.close(); // node b stops: its viewers are no longer refreshed, nor removed by a leave
        b = null;
        awaitCount(host, 1);
    }

    // ---- chat ----

    @Test
    void chatReachesViewersOnBothNodesInBatchesNotOneFramePerMessage() {
        WsClient v1 = viewer(a, "v-1", "Ann");
        WsClient v2 = viewer(b, "v-2", "Bo");
        List<WsClient> writers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            writers.add(viewer(i % 2 == 0 ? a : b, "w-" + i, "Writer " + i));
        }
        for (int i = 0; i < writers.size(); i++) {
            writers.get(i).requestOk(about("chat.send", "text", "hello " + i + " 你好"));
        }
        for (WsClient reader : List.of(v1, v2)) {
            List<JsonNode> batches = new ArrayList<>();
            List<String> seen = chatUntil(reader, "hello 5 你好", batches);
            assertEquals(6, seen.size(), "every message once: " + seen);
            assertTrue(batches.size() < 6, "batched: " + batches.size() + " frames for 6 messages");
            batches.forEach(batch -> batch.path("messages").forEach(m ->
                    assertTrue(m.path("viewerId").isMissingNode(), "viewers never see others' ids")));
        }
        List<JsonNode> hostBatches = new ArrayList<>();
        chatUntil(host, "hello 5 你好", hostBatches);
        assertEquals("w-0", hostBatches.get(0).path("messages").get(0).path("viewerId").asText(),
                "the stage sees who wrote, to moderate");
    }

    @Test
    void aFloodFromOneViewerIsLimitedAndOthersAreNot() {
        WsClient flooder = viewer(a, "v-flood", "Flood");
        WsClient calm = viewer(b, "v-calm", "Calm");
        int accepted = 0;
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            JsonNode reply = flooder.request(about("chat.send", "text", "spam " + i));
            if ("error".equals(WsClient.type(reply))) {
                assertEquals("rate_limited", WsClient.errorCode(reply));
                assertTrue(reply.path("message").asText().contains("dropped"), reply.toString());
                limited++;
            } else {
                accepted++;
            }
        }
        assertTrue(limited >= 5 && accepted >= 1, accepted + " accepted, " + limited + " limited");
        calm.requestOk(about("chat.send", "text", "a calm question"));
        List<String> seen = chatUntil(host, "a calm question", new ArrayList<>());
        assertEquals(accepted, seen.stream().filter(t -> t.startsWith("spam")).count(), "refused ones never went out");
    }

    @Test
    void oversizedMalformedAndMisaddressedChatIsRefusedWithAClearError() {
        WsClient v = viewer(a, "v-1", "Ann");
        JsonNode big = v.request(about("chat.send", "text", "x".repeat(501)));
        assertEquals("bad_message", WsClient.errorCode(big));
        assertTrue(big.path("message").asText().contains("500"), big.toString());
        assertEquals("bad_message", WsClient.errorCode(v.request(about("chat.send", "text", "   "))));
        assertEquals("bad_message", WsClient.errorCode(v.request(about("chat.send", "text", "a\u0007b"))));
        assertEquals("bad_message", WsClient.errorCode(v.request(about("chat.send"))));
        assertEquals("bad_message", WsClient.errorCode(v.request(Map.of("type", "chat.send",
                "broadcastId", "not an id!", "text", "hi"))));
        assertEquals("bad_message", WsClient.errorCode(v.request(about("chat.send", "text", "hi", "extra", 1))));
        JsonNode elsewhere = v.request(Map.of("type", "chat.send", "broadcastId", "b-other", "text", "hi"));
        assertEquals("invalid_state", WsClient.errorCode(elsewhere));
        v.sendRaw("{\"type\":\"chat.send\",");
        assertEquals("bad_json", WsClient.errorCode(v.awaitType("error", T)));
        v.requestOk(about("chat.send", "text", "still here"));
        chatUntil(host, "still here", new ArrayList<>());
    }

    // ---- moderation ----

    @Test
    void deleteMuteAndRemoveTakeEffectOnBothNodesAndARemovedViewerCannotRejoin() {
        WsClient onA = viewer(a, "v-a", "Ann");
        WsClient onB = viewer(b, "v-b", "Bo");
        onB.requestOk(about("chat.send", "text", "buy my coin"));
        List<JsonNode> batches = new ArrayList<>();
        chatUntil(host, "buy my coin", batches);
        chatUntil(onA, "buy my coin", new ArrayList<>());
        chatUntil(onB, "buy my coin", new ArrayList<>());
        String messageId = batches.get(batches.size() - 1).path("messages").get(0).path("messageId").asText();
        onA.requestOk(about("chat.send", "text", "hello all"));
        chatUntil(onB, "hello all", new ArrayList<>());

        host.requestOk(about("chat.delete", "messageId", messageId));
        for (WsClient c : List.of(onA, onB)) {
            c.await(m -> "chat.batch".equals(WsClient.type(m)) && m.path("deleted").toString().contains(messageId), T);
        }
        JsonNode rejoinHistory = track(b.signIn(b.token("viewer", "v-late", "Late", List.of(), List.of(), 1)))
                .requestOk(about("broadcast.join"));
        assertFalse(rejoinHistory.path("chat").toString().contains("buy my coin"), "deleted for late joiners too");
        assertTrue(rejoinHistory.path("chat").toString().contains("hello all"),
                "a late joiner on a node already showing the broadcast gets its history: " + rejoinHistory);
        assertEquals("not_found", WsClient.errorCode(host.request(about("chat.delete", "messageId", messageId))));

        host.requestOk(about("viewer.mute", "viewerId", "v-b"));
        assertTrue(onB.awaitType("chat.muted", T).path("muted").asBoolean());
        JsonNode muted = onB.request(about("chat.send", "text", "again"));
        assertEquals("forbidden", WsClient.errorCode(muted));
        assertTrue(muted.path("message").asText().contains("muted"), muted.toString());
        host.requestOk(about("viewer.mute", "viewerId", "v-b", "muted", false));
        assertFalse(onB.awaitType("chat.muted", T).path("muted").asBoolean());
        onB.requestOk(about("chat.send", "text", "sorry"));

        host.requestOk(about("viewer.remove", "viewerId", "v-b"));
        onB.awaitType("broadcast.removed", T);
        assertEquals("invalid_state", WsClient.errorCode(onB.request(about("chat.send", "text", "hi"))),
                "removed from the broadcast on its node at once");
        JsonNode refused = onB.request(about("broadcast.join"));
        assertEquals("forbidden", WsClient.errorCode(refused));
        assertTrue(refused.path("message").asText().contains("removed"), refused.toString());
        onB.close();
        JsonNode refusedElsewhere = track(a.signIn(a.token("viewer", "v-b", "Bo", List.of(), List.of(), 1)))
                .request(about("broadcast.join"));
        assertEquals("forbidden", WsClient.errorCode(refusedElsewhere), "same identity, other node");
        awaitCount(host, 2); // v-a and v-late
    }

    @Test
    void onlyTheStageOrASupervisorModerates() {
        WsClient v = viewer(a, "v-1", "Ann");
        viewer(b, "v-2", "Bo");
        String staffToken = b.token("staff", "other-staff", "Other", List.of("loans"), List.of("en"), 1, List.of("livestream"));
        WsClient otherStaff = track(b.signIn(staffToken));
        assertEquals("forbidden", WsClient.errorCode(otherStaff.request(about("viewer.remove", "viewerId", "v-2"))));
        assertEquals("forbidden", WsClient.errorCode(otherStaff.request(about("broadcast.card.pin",
                "card", Map.of("name", "Loan")))));
        WsClient supervisor = track(b.signIn(b.supervisorToken("sup-1", "Sue")));
        supervisor.requestOk(about("viewer.mute", "viewerId", "v-1"));
        v.awaitType("chat.muted", T);
        assertEquals("invalid_state", WsClient.errorCode(supervisor.request(about("viewer.remove", "viewerId", "host-1"))));
    }

    // ---- roles ----

    @Test
    void aViewerTokenIsRefusedForEveryStaffAndCustomerMessage() {
        WsClient v = viewer(a, "v-1", "Ann");
        List<Map<String, Object>> refused = List.of(
                Map.of("type", "presence.set", "status", "available"),
                Map.of("type", "request.create", "topic", "loans", "language", "en"),
                Map.of("type", "offer.accept", "requestId", "r-x"),
                Map.of("type", "offer.decline", "requestId", "r-x"),
                Map.of("type", "call.join", "callId", "r-x"),
                Map.of("type", "call.transfer", "callId", "r-x", "topic", "loans", "language", "en"),
                about("broadcast.viewers"),
                about("chat.delete", "messageId", "m-1"),
                about("viewer.mute", "viewerId", "v-2"),
                about("viewer.remove", "viewerId", "v-2"),
                about("broadcast.card.pin", "card", Map.of("name", "Loan")),
                about("broadcast.card.unpin"),
                about("broadcast.stage.add", "staffId", "v-1"),
                about("broadcast.stage.remove", "staffId", "v-1"),
                about("broadcast.stage.leave"));
        for (Map<String, Object> m : refused) {
            assertEquals("forbidden", WsClient.errorCode(v.request(m)), "a viewer may not send " + m.get("type"));
        }
        v.requestOk(about("chat.send", "text", "still watching"));
    }

    // ---- product cards and "consult now" ----

    @Test
    void aCardsConsultNowBecomesAnOfferCarryingTheBroadcastAndTheCardAndIsCounted() {
        WsClient staffMember = track(a.signIn(a.staffToken("staff-9", "Zhang Min", List.of("wealth"), List.of("en"), 1)));
        staffMember.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient v = viewer(b, "v-1", null);

        assertEquals("unknown_topic", WsClient.errorCode(host.request(about("broadcast.card.pin",
                "card", Map.of("name", "Loan", "topic", "no-such-topic")))));
        host.requestOk(about("broadcast.card.pin", "card", Map.of("name", "First-home mortgage",
                "line", "Fixed 3.1% for 5 years", "url", "https://bank.example/mortgage", "topic", "wealth")));
        JsonNode card = v.awaitType("broadcast.card", T).path("card");
        assertEquals("c-1", card.path("cardId").asText());
        assertEquals("First-home mortgage", card.path("name").asText());

        JsonNode noName = v.request(about("broadcast.consult", "cardId", "c-1"));
        assertEquals("bad_message", WsClient.errorCode(noName), "an anonymous viewer is asked for a name");
        assertEquals("not_found", WsClient.errorCode(v.request(about("broadcast.consult", "cardId", "c-9", "name", "Ann"))));
        JsonNode queued = v.requestOk(about("broadcast.consult", "cardId", "c-1", "name", "Ann"));
        assertEquals("request.queued", WsClient.type(queued));
        assertEquals("wealth", queued.path("topic").asText(), "the card's queue, not the broadcast's");

        JsonNode offer = staffMember.awaitType("offer", T);
        assertEquals("Ann", offer.path("customer").path("name").asText());
        assertEquals(broadcastId, offer.path("origin").path("broadcastId").asText());
        assertEquals("Saving for your first home", offer.path("origin").path("title").asText());
        assertEquals("c-1", offer.path("origin").path("card").path("cardId").asText());
        assertTrue(offer.path("origin").path("watchedMs").asLong() >= 0);

        staffMember.requestOk(Map.of("type", "offer.accept", "requestId", queued.path("requestId").asText()));
        JsonNode started = v.awaitType("call.started", T);
        assertEquals(queued.path("requestId").asText(), started.path("callId").asText());
        v.requestOk(Map.of("type", "call.hangup", "callId", started.path("callId").asText()));

        String hostToken = a.token("staff", "host-1", "Lin Wei", List.of("loans"), List.of("en"), 1, List.of("livestream"));
        JsonNode record = parse(a.get("/api/broadcasts/" + broadcastId + "/record", hostToken).body());
        assertEquals(1, record.path("consultationsRequested").asLong());
        assertEquals(1, record.path("consultationsAnswered").asLong());
    }

    @Test
    void theHostPutsAColleagueOnStageAndTakesThemOffAndEveryViewerSeesTheStage() {
        WsClient v = viewer(b, "v-1", "Ann");
        WsClient colleague = track(b.signIn(b.staffToken("staff-co", "Chen Jie", List.of("loans"), List.of("en"), 1)));
        assertEquals("not_found", WsClient.errorCode(host.request(about("broadcast.stage.add", "staffId", "nobody"))));
        assertEquals("forbidden", WsClient.errorCode(colleague.request(about("broadcast.stage.add", "staffId", "staff-co"))),
                "only the host invites");

        host.requestOk(about("broadcast.stage.add", "staffId", "staff-co"));
        JsonNode invited = colleague.awaitType("broadcast.onstage", T);
        assertTrue(invited.path("onStage").asBoolean());
        assertEquals("Saving for your first home", invited.path("title").asText());
        JsonNode stage = v.awaitType("broadcast.state", T).path("stage");
        assertEquals(2, stage.size(), stage.toString());
        assertEquals("Chen Jie", stage.get(1).path("name").asText());
        assertEquals("cohost", stage.get(1).path("role").asText());
        assertTrue(colleague.requestOk(about("broadcast.join")).path("onStage").asBoolean());
        assertEquals("invalid_state", WsClient.errorCode(host.request(about("broadcast.stage.add", "staffId", "staff-co"))));

        host.requestOk(about("broadcast.stage.remove", "staffId", "staff-co"));
        assertFalse(colleague.awaitType("broadcast.onstage", T).path("onStage").asBoolean());
        assertEquals(1, v.awaitType("broadcast.state", T).path("stage").size());
        assertEquals("invalid_state", WsClient.errorCode(colleague.request(about("chat.send", "text", "hi"))),
                "off stage, out of the room until they join again as a viewer");
        assertFalse(colleague.requestOk(about("broadcast.join")).path("onStage").asBoolean());
    }

    @Test
    void endingTheBroadcastTellsEveryViewerAndKeepsTheRecord() {
        WsClient v1 = viewer(a, "v-1", "Ann");
        WsClient v2 = viewer(b, "v-2", "Bo");
        v1.requestOk(about("broadcast.like"));
        v2.requestOk(about("broadcast.like"));
        // One frame may carry both numbers: stats go out only when they change.
        host.await(m -> "broadcast.stats".equals(WsClient.type(m)) && m.path("viewers").asLong() == 2
                && m.path("likes").asLong() == 2, T);

        String hostToken = a.token("staff", "host-1", "Lin Wei", List.of("loans"), List.of("en"), 1, List.of("livestream"));
        assertEquals(200, b.post("/api/broadcasts/" + broadcastId + "/end", "", hostToken, Map.of()).statusCode());
        for (WsClient v : List.of(v1, v2)) {
            assertEquals("ended", v.awaitType("broadcast.state", T).path("state").asText());
        }
        assertEquals("invalid_state", WsClient.errorCode(v1.request(about("chat.send", "text", "hello?"))));
        JsonNode record = parse(a.get("/api/broadcasts/" + broadcastId + "/record", hostToken).body());
        assertEquals(2, record.path("likes").asLong());
        assertEquals(2, record.path("peakViewers").asLong(), record.toString());
        assertEquals(2, record.path("uniqueViewers").asLong(), record.toString());
        assertTrue(record.path("watchTimeMs").asLong() > 0, "the viewers' stays ended with the broadcast: " + record);
    }
}
