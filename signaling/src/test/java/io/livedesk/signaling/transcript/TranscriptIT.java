package io.livedesk.signaling.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live transcription on real sockets, the test playing the speech pipeline through
 * {@link TestNode#transcripts()}: captions reach the staff member and supervisors in the call but never the
 * customer, an alert reaches every connected supervisor, and the transcript reads back over REST with its
 * permissions. Each scenario runs on in-process stores and on Redis.
 */
class TranscriptIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private record Call(String callId, WsClient staff, WsClient customer) {
    }

    private static TestNode node(String stores) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("livedesk.calls.media", "bridge");
        if (stores.equals("redis")) {
            REDIS.flushAll();
            settings.put("livedesk.redis.url", REDIS.url());
        }
        return TestNode.start(settings);
    }

    private static Call call(TestNode node, String suffix, String topic) {
        WsClient staff = node.signIn(node.staffToken("staff-" + suffix, "Zhang Min", List.of(topic), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient customer = node.signIn(node.customerToken("cust-" + suffix, "Li Wei"));
        customer.requestOk(Map.of("type", "request.create", "topic", topic, "language", "en"));
        String requestId = staff.awaitType("offer", WAIT).path("requestId").asText();
        staff.requestOk(Map.of("type", "offer.accept", "requestId", requestId));
        customer.awaitType("call.started", WAIT);
        return new Call(requestId, staff, customer);
    }

    private static CallRecord record(TestNode node, String callId) {
        return node.node().calls().get(CallId.of(callId)).orElseThrow();
    }

    /** Everything sent to the client before now has arrived once a ping's pong has (one ordered socket). */
    private static List<JsonNode> allReceived(WsClient client) {
        client.requestOk(Map.of("type", "ping"));
        return client.history();
    }

    private static List<JsonNode> ofType(List<JsonNode> messages, String t) {
        return messages.stream().filter(m -> t.equals(type(m))).toList();
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void captionsReachTheStaffMemberAndAMonitoringSupervisorButNotTheCustomer(String stores) {
        try (TestNode node = node(stores)) {
            Call call = call(node, "c1", "cards");
            WsClient supervisor = node.signIn(node.supervisorToken("sup-c1", "Chen Jing"));
            supervisor.requestOk(Map.of("type", "call.join", "callId", call.callId(), "mode", "monitor"));
            CallRecord now = record(node, call.callId());
            assertEquals(List.of(Subject.of("sup-c1")), now.supervisorIds());

            TranscriptService tx = node.transcripts();
            tx.partial(now, Speaker.CUSTOMER, Subject.of("cust-c1"), "I lost my");
            tx.finalResult(now, Speaker.CUSTOMER, Subject.of("cust-c1"), 1_000, 2_500, "I lost my card",
                    List.of(new TranscriptLine.Word("I", 0, 200, 1.0), new TranscriptLine.Word("card", 1100, 1500, 0.9)));
            tx.partial(now, Speaker.STAFF, Subject.of("staff-c1"), "let me");
            tx.finalResult(now, Speaker.STAFF, Subject.of("staff-c1"), 3_000, 4_000, "let me block it", List.of());
            tx.status(now, Speaker.CUSTOMER, CaptionStatus.LAGGING, "speech is 3 s behind");

            for (WsClient viewer : List.of(call.staff(), supervisor)) {
                List<JsonNode> captions = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    captions.add(viewer.awaitType("call.caption", WAIT));
                }
                assertEquals(List.of("I lost my", "I lost my card", "let me", "let me block it"),
                        captions.stream().map(c -> c.path("text").asText()).toList());
                assertEquals(List.of(false, true, false, true),
                        captions.stream().map(c -> c.path("final").asBoolean()).toList());
                assertEquals(List.of("customer", "customer", "staff", "staff"),
                        captions.stream().map(c -> c.path("speaker").asText()).toList());
                JsonNode first = captions.get(1);
                assertEquals(call.callId(), first.path("callId").asText());
                assertEquals(1, first.path("seq").asLong());
                assertEquals(1_000, first.path("startedAt").asLong());
                assertEquals(2, captions.get(3).path("seq").asLong());
                assertFalse(captions.get(0).has("seq"), "a partial is not stored");
                JsonNode status = viewer.awaitType("call.caption.status", WAIT);
                assertEquals("lagging", status.path("status").asText());
            }
            List<JsonNode> toCustomer = allReceived(call.customer());
            assertEquals(List.of(), ofType(toCustomer, "call.caption"), "the customer never sees captions");
            assertEquals(List.of(), ofType(toCustomer, "call.caption.status"));
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void aKeywordAlertsEveryConnectedSupervisorInOrOutOfTheCall(String stores) {
        try (TestNode node = node(stores)) {
            Call call = call(node, "a1", "cards");
            WsClient inCall = node.signIn(node.supervisorToken("sup-a1", "Chen Jing"));
            inCall.requestOk(Map.of("type", "call.join", "callId", call.callId()));
            WsClient elsewhere = node.signIn(node.supervisorToken("sup-a2", "Wu Lei"));
            WsClient colleague = node.signIn(node.staffToken("staff-a2", "Other", List.of("loans"), List.of("en"), 1));

            CallRecord now = record(node, call.callId());
            node.transcripts().finalResult(now, Speaker.CUSTOMER, Subject.of("cust-a1"), 10_000, 12_000, "my PASSWORD is 1234", List.of());
            node.transcripts().finalResult(now, Speaker.CUSTOMER, Subject.of("cust-a1"), 13_000, 14_000, "not passwordless", List.of());

            for (WsClient sup : List.of(inCall, elsewhere)) {
                JsonNode alert = sup.awaitType("alert", WAIT);
                assertEquals(call.callId(), alert.path("callId").asText());
                assertEquals("password", alert.path("rule").asText());
                assertEquals("my PASSWORD is 1234", alert.path("text").asText());
                assertEquals("customer", alert.path("speaker").asText());
                assertEquals(10_000, alert.path("at").asLong());
                assertEquals("Zhang Min", alert.path("staff").path("name").asText());
                assertEquals("Li Wei", alert.path("customer").path("name").asText());
                assertFalse(alert.path("alertId").asText().isBlank());
                assertEquals(1, ofType(allReceived(sup), "alert").size(), "one alert: \"passwordless\" is not the word");
            }
            assertEquals(List.of(), ofType(allReceived(call.staff()), "alert"), "alerts are for supervisors");
            assertEquals(List.of(), ofType(allReceived(call.customer()), "alert"));
            assertEquals(List.of(), ofType(allReceived(colleague), "alert"));
            assertEquals(List.of(), ofType(allReceived(elsewhere), "call.caption"), "captions stay with the call");

            String metrics = node.get("/metrics", null).body();
            assertTrue(metrics.contains("livedesk_transcript_alerts_total{rule=\"rule-1\"} 1.0"), metrics);
            assertFalse(metrics.contains("PASSWORD is"), "nothing said reaches the metrics");
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void theTranscriptReadsBackAsJsonAndTextForThoseAllowed(String stores) {
        try (TestNode node = node(stores)) {
            Call call = call(node, "t1", "cards");
            CallRecord now = record(node, call.callId());
            long answered = now.answeredAtMs();
            TranscriptService tx = node.transcripts();
            tx.finalResult(now, Speaker.CUSTOMER, Subject.of("cust-t1"), answered + 1_000, answered + 2_000, "我的卡丢了", List.of(
                    new TranscriptLine.Word("我的", 0, 400, 0.95), new TranscriptLine.Word("卡", 400, 600, 0.9)));
            tx.finalResult(now, Speaker.STAFF, Subject.of("staff-t1"), answered + 65_000, answered + 66_000, "I will block it\nnow", List.of());

            // The staff member hands the call over; both the new and the former one may read the transcript.
            WsClient loans = node.signIn(node.staffToken("staff-t2", "Wang Fang", List.of("loans"), List.of("en"), 1));
            loans.requestOk(Map.of("type", "presence.set", "status", "available"));
            call.staff().requestOk(Map.of("type", "call.transfer", "callId", call.callId(), "topic", "loans", "language", "en"));
            loans.requestOk(Map.of("type", "offer.accept", "requestId", loans.awaitType("offer", WAIT).path("requestId").asText()));
            call.staff().awaitType("call.ended", WAIT);
            call.customer().requestOk(Map.of("type", "call.hangup", "callId", call.callId()));

            String path = "/api/calls/" + call.callId() + "/transcript";
            JsonNode record = node.getJson("/api/calls/" + call.callId(), node.supervisorToken("sup-t1", "Chen Jing"));
            assertEquals(path, record.path("transcript").asText(), "the call record links its transcript");

            for (String token : List.of(node.supervisorToken("sup-t1", "Chen Jing"),
                    node.staffToken("staff-t1", "Zhang Min", List.of("cards"), List.of("en"), 1),
                    node.staffToken("staff-t2", "Wang Fang", List.of("loans"), List.of("en"), 1))) {
                JsonNode body = node.getJson(path, token);
                assertEquals(call.callId(), body.path("callId").asText());
                JsonNode lines = body.path("lines");
                assertEquals(2, lines.size(), body.toString());
                assertEquals("customer", lines.get(0).path("speaker").asText());
                assertEquals("我的卡丢了", lines.get(0).path("text").asText());
                assertEquals(1, lines.get(0).path("seq").asLong());
                assertEquals(1_000, lines.get(0).path("offsetMs").asLong());
                assertEquals("卡", lines.get(0).path("words").get(1).path("word").asText());
                assertEquals("staff", lines.get(1).path("speaker").asText());
                assertEquals("staff-t1", lines.get(1).path("speakerId").asText());
                assertEquals(2, lines.get(1).path("seq").asLong());
            }

            HttpResponse<String> text = node.get(path + "?format=text", node.supervisorToken("sup-t1", "Chen Jing"));
            assertEquals(200, text.statusCode(), text.body());
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertEquals("attachment; filename=\"transcript-" + call.callId() + ".txt\"",
                    text.headers().firstValue("Content-Disposition").orElse(""));
            assertEquals("no-store", text.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("[00:00:01] Customer: 我的卡丢了\n[00:01:05] Staff: I will block it now\n", text.body());

            assertEquals(403, node.get(path, node.customerToken("cust-t1", "Li Wei")).statusCode(), "not even their own");
            assertEquals(404, node.get(path, node.staffToken("staff-x", "Nobody", List.of("cards"), List.of("en"), 1))
                    .statusCode(), "a staff member who never had the call");
            assertEquals(404, node.get("/api/calls/no-such-call/transcript", node.supervisorToken("sup-t1", "C")).statusCode());
            assertEquals(401, node.get(path, null).statusCode());
            HttpResponse<String> badFormat = node.get(path + "?format=pdf", node.supervisorToken("sup-t1", "C"));
            assertEquals(400, badFormat.statusCode());
            assertTrue(badFormat.body().contains("format must be json or text"), badFormat.body());

            // An answered call with nothing said yet has an empty transcript, not an error.
            Call quiet = call(node, "t3", "wealth");
            JsonNode empty = node.getJson("/api/calls/" + quiet.callId() + "/transcript", node.supervisorToken("sup-t1", "C"));
            assertEquals(0, empty.path("lines").size());
            assertEquals("", node.get("/api/calls/" + quiet.callId() + "/transcript?format=text",
                    node.supervisorToken("sup-t1", "C")).body());
        }
    }
}
