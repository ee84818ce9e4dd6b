package io.livedesk.signaling.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broadcast REST API on a real node over HTTP: who may create a broadcast, what the public sees of it,
 * who may take it live and end it, and who may read its record. Each scenario runs on in-process stores
 * and on Redis.
 */
class BroadcastsApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LIVESTREAM = List.of("livestream");

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static TestNode node(String stores) {
        Map<String, Object> settings = new HashMap<>();
        if (stores.equals("redis")) {
            REDIS.flushAll();
            settings.put("livedesk.redis.url", REDIS.url());
        }
        return TestNode.start(settings);
    }

    private static String host(TestNode node, String subject) {
        return node.token("staff", subject, "Zhang Min", List.of("loans"), List.of("en"), 1, LIVESTREAM);
    }

    private static String supervisorHost(TestNode node, String subject) {
        return node.token("supervisor", subject, "Chen Jing", List.of(), List.of(), 1, LIVESTREAM);
    }

    private static Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("title", "Saving for your first home");
        b.put("description", "Mortgage basics, with questions answered live");
        b.put("language", "en");
        b.put("topic", "loans");
        b.put("scheduledAt", "2026-12-01T09:00:00Z");
        b.put("coverImageUrl", "https://cdn.bank.example/covers/home.jpg");
        return b;
    }

    private static Map<String, Object> body(String field, Object value) {
        Map<String, Object> b = body();
        b.put(field, value);
        return b;
    }

    private static HttpResponse<String> post(TestNode node, String path, Object body, String token) {
        return node.post(path, body == null ? "" : write(body), token, Map.of());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        return json(response);
    }

    /** An error reply: its status and code, and that its message names {@code field}. */
    private static void expectError(int status, String code, String field, HttpResponse<String> response) {
        JsonNode error = expect(status, response);
        assertEquals(code, error.path("code").asText(), response.body());
        assertTrue(error.path("message").asText().contains(field), response.body());
    }

    private static String create(TestNode node, String token) {
        return expect(201, post(node, "/api/broadcasts", body(), token)).path("id").asText();
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void aPermittedStaffMemberCreatesABroadcastThatThePublicSeesWithoutItsHost(String stores) {
        try (TestNode node = node(stores)) {
            HttpResponse<String> created = post(node, "/api/broadcasts", body(), host(node, "host-c1"));
            JsonNode record = expect(201, created);
            String id = record.path("id").asText();
            assertTrue(id.startsWith("b-"), id);
            assertEquals("/api/broadcasts/" + id, created.headers().firstValue("Location").orElse(""));
            assertEquals("host-c1", record.path("host").asText());
            assertEquals("scheduled", record.path("state").asText());
            assertEquals("2026-12-01T09:00:00Z", record.path("scheduledAt").asText());
            expect(201, post(node, "/api/broadcasts", body("scheduledAt", "2026-12-02T09:00:00Z"), supervisorHost(node, "sup-c1")));

            HttpResponse<String> list = node.get("/api/broadcasts", null);
            JsonNode broadcasts = expect(200, list).path("broadcasts");
            assertEquals(2, broadcasts.size(), list.body());
            JsonNode first = broadcasts.get(0);
            assertEquals(id, first.path("id").asText(), "soonest first");
            assertEquals("Saving for your first home", first.path("title").asText());
            assertEquals("loans", first.path("topic").asText());
            assertEquals("en", first.path("language").asText());
            assertEquals("https://cdn.bank.example/covers/home.jpg", first.path("coverImageUrl").asText());
            HttpResponse<String> one = node.get("/api/broadcasts/" + id, null);
            assertEquals(first, expect(200, one));
            for (HttpResponse<String> publicReply : List.of(list, one)) {
                assertFalse(publicReply.body().contains("host-c1"), publicReply.body());
                assertFalse(publicReply.body().contains("sup-c1"), publicReply.body());
                assertFalse(publicReply.body().contains("peakViewers"), publicReply.body());
            }
            assertEquals(1, expect(200, node.get("/api/broadcasts?limit=1", null)).path("broadcasts").size());
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void creatingNeedsATokenOfStaffWithTheLivestreamPermission(String stores) {
        try (TestNode node = node(stores)) {
            String plainStaff = node.staffToken("staff-p1", "Wu Lei", List.of("loans"), List.of("en"), 1);
            expectError(403, "forbidden", "livestream", post(node, "/api/broadcasts", body(), plainStaff));
            String customer = node.customerToken("cust-p1", "Li Wei");
            expectError(403, "forbidden", "customer", post(node, "/api/broadcasts", body(), customer));
            expectError(401, "unauthenticated", "Bearer", post(node, "/api/broadcasts", body(), null));
            expectError(401, "invalid_token", "", post(node, "/api/broadcasts", body(), "not-a-token"));
            assertEquals(0, expect(200, node.get("/api/broadcasts", null)).path("broadcasts").size());

            // The dev endpoint grants permissions to staff and supervisors only, and only known ones.
            Map<String, Object> mint = new HashMap<>(Map.of("role", "customer", "subject", "cust-p2",
                    "permissions", LIVESTREAM));
            Map<String, String> admin = Map.of("X-Admin-Key", node.adminKey());
            expectError(400, "bad_message", "staff and supervisors",
                    node.post("/api/dev/tokens", write(mint), null, admin));
            mint.putAll(Map.of("role", "staff", "permissions", List.of("livestreams")));
            expectError(400, "bad_message", "livestreams", node.post("/api/dev/tokens", write(mint), null, admin));
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void badFieldsAreRefusedNamingTheField(String stores) {
        try (TestNode node = node(stores)) {
            String host = host(node, "host-b1");
            Map<String, Object> noTitle = body();
            noTitle.remove("title");
            expectError(400, "bad_message", "title", post(node, "/api/broadcasts", noTitle, host));
            expectError(400, "bad_message", "title", post(node, "/api/broadcasts", body("title", "x".repeat(121)), host));
            expectError(400, "unknown_topic", "topic", post(node, "/api/broadcasts", body("topic", "crypto"), host));
            expectError(400, "unsupported_language", "language",
                    post(node, "/api/broadcasts", body("language", "fr"), host));
            expectError(400, "bad_message", "scheduledAt",
                    post(node, "/api/broadcasts", body("scheduledAt", "next monday"), host));
            expectError(400, "bad_message", "scheduledAt", post(node, "/api/broadcasts", body("scheduledAt", null), host));
            expectError(400, "bad_message", "coverImageUrl",
                    post(node, "/api/broadcasts", body("coverImageUrl", "ftp://cdn.bank.example/c.jpg"), host));
            expectError(400, "bad_message", "coverImageUrl",
                    post(node, "/api/broadcasts", body("coverImageUrl", "javascript:alert(1)"), host));
            expectError(400, "bad_message", "body", post(node, "/api/broadcasts", body("hostId", "someone-else"), host));
            expectError(400, "bad_message", "body", node.post("/api/broadcasts", "{\"title\":", host, Map.of()));
            expectError(400, "bad_message", "limit", node.get("/api/broadcasts?limit=101", null));
            expectError(400, "bad_message", "state", node.get("/api/broadcasts?state=ended", null));
            assertEquals(0, expect(200, node.get("/api/broadcasts", null)).path("broadcasts").size());
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void onlyTheHostTakesItLiveAndEndsItOnce(String stores) {
        try (TestNode node = node(stores)) {
            String host = host(node, "host-t1");
            String id = create(node, host);
            String other = host(node, "host-t2");
            String supervisor = supervisorHost(node, "sup-t1");
            String unpermitted = node.staffToken("host-t1", "Zhang Min", List.of("loans"), List.of("en"), 1);
            for (String token : List.of(other, supervisor)) {
                expectError(403, "forbidden", "host", post(node, "/api/broadcasts/" + id + "/live", null, token));
            }
            expectError(403, "forbidden", "livestream", post(node, "/api/broadcasts/" + id + "/live", null, unpermitted));
            expectError(401, "unauthenticated", "Bearer", post(node, "/api/broadcasts/" + id + "/live", null, null));
            expectError(404, "not_found", "broadcast", post(node, "/api/broadcasts/b-nope/live", null, host));

            JsonNode live = expect(200, post(node, "/api/broadcasts/" + id + "/live", null, host));
            assertEquals("live", live.path("state").asText());
            assertTrue(live.hasNonNull("startedAt"), live.toString());
            JsonNode shown = expect(200, node.get("/api/broadcasts/" + id, null));
            assertEquals("live", shown.path("state").asText());
            assertEquals(live.path("startedAt"), shown.path("startedAt"));
            assertEquals(id, expect(200, node.get("/api/broadcasts?state=live", null)).path("broadcasts").get(0)
                    .path("id").asText());
            expectError(409, "invalid_state", "LIVE", post(node, "/api/broadcasts/" + id + "/live", null, host));

            expectError(403, "forbidden", "host", post(node, "/api/broadcasts/" + id + "/end", null, other));
            JsonNode ended = expect(200, post(node, "/api/broadcasts/" + id + "/end", null, host));
            assertEquals("ended", ended.path("state").asText());
            assertFalse(ended.path("cancelled").asBoolean());
            assertTrue(ended.hasNonNull("endedAt"), ended.toString());
            expectError(409, "invalid_state", "ENDED", post(node, "/api/broadcasts/" + id + "/end", null, host));
            expectError(409, "invalid_state", "ENDED", post(node, "/api/broadcasts/" + id + "/live", null, host));
            assertEquals("ended", expect(200, node.get("/api/broadcasts/" + id, null)).path("state").asText());
            assertEquals(0, expect(200, node.get("/api/broadcasts", null)).path("broadcasts").size(),
                    "an ended broadcast is no longer listed");

            // Ending one that never went live cancels it.
            String cancelled = create(node, host);
            JsonNode record = expect(200, post(node, "/api/broadcasts/" + cancelled + "/end", null, host));
            assertTrue(record.path("cancelled").asBoolean(), record.toString());
            assertFalse(record.has("startedAt"), record.toString());
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void theRecordIsForTheHostAndSupervisors(String stores) {
        try (TestNode node = node(stores)) {
            String host = host(node, "host-r1");
            String id = create(node, host);
            String path = "/api/broadcasts/" + id + "/record";

            HttpResponse<String> own = node.get(path, host);
            JsonNode record = expect(200, own);
            assertEquals("no-store", own.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("host-r1", record.path("host").asText());
            for (String counter : List.of("peakViewers", "uniqueViewers", "watchTimeMs", "chatMessages", "likes",
                    "consultationsRequested", "consultationsAnswered")) {
                assertEquals(0, record.path(counter).asLong(-1), counter);
            }
            // A supervisor without the permission may read it all the same: supervisors oversee.
            assertEquals(record, expect(200, node.get(path, node.supervisorToken("sup-r1", "Chen Jing"))));

            expectError(403, "forbidden", "host", node.get(path, host(node, "host-r2")));
            expectError(403, "forbidden", "host", node.get(path, node.customerToken("cust-r1", "Li Wei")));
            expectError(401, "unauthenticated", "Bearer", node.get(path, null));
            expectError(404, "not_found", "broadcast", node.get("/api/broadcasts/b-unknown/record", host));
        }
    }

    @ParameterizedTest(name = "{0} stores")
    @ValueSource(strings = {"memory", "redis"})
    void unknownAndMalformedIdsAreNotFound(String stores) {
        try (TestNode node = node(stores)) {
            for (String id : List.of("b-unknown", "has%20space", "x".repeat(200), "..")) {
                expectError(404, "not_found", "", node.get("/api/broadcasts/" + id, null));
            }
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
