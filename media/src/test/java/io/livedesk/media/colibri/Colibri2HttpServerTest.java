package io.livedesk.media.colibri;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MeetingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.livedesk.media.colibri.Samples.MEETING;
import static io.livedesk.media.colibri.Samples.MEETING_ID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Colibri2 REST interface end to end on loopback: Colibri2Client → Colibri2HttpServer → a recording bridge. */
class Colibri2HttpServerTest {

    private final Colibri2BridgeCodec bridgeSide = new Colibri2BridgeCodec();
    private final RecordingBridge bridge = new RecordingBridge();
    private final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Colibri2HttpServer server;
    private URI base;
    private Colibri2Client client;

    @BeforeEach
    void start() {
        server = new Colibri2HttpServer(bridge, Colibri2HttpServer.Options.defaults().withPort(0).withMaxRequestBytes(64 * 1024));
        InetSocketAddress address = server.start();
        base = URI.create("http://127.0.0.1:" + address.getPort());
        client = new Colibri2Client("test-bridge", Colibri2Client.Options.of(base));
    }

    @AfterEach
    void stop() {
        CountDownLatch gate = bridge.gate;
        if (gate != null) {
            gate.countDown();
        }
        client.close();
        server.close();
    }

    @Test
    void conferenceLifecycle() throws Exception {
        ConferenceRequest create = bridgeSide.parseCreate(Samples.bytes("create-request.json"));

        ConferenceReply created = client.apply(create);

        assertEquals(create, bridge.applied.get(0), "the bridge gets exactly what the focus asked for");
        assertEquals(List.of(new ConferenceReply.EndpointReply("ep1", RecordingBridge.TRANSPORT, false)), created.endpoints());
        assertEquals(RecordingBridge.FEEDBACK, created.bridgeSources());

        ConferenceRequest patch = bridgeSide.parseModify(MEETING, Samples.bytes("patch-request.json"));
        ConferenceReply patched = client.apply(patch);
        assertEquals(patch, bridge.applied.get(1));
        assertEquals(List.of(new ConferenceReply.EndpointReply("ep1", null, false)), patched.endpoints());

        ConferenceReply expiredEndpoint = client.apply(ConferenceRequest.modifying(MEETING_ID)
                .endpoint(EndpointRequest.expiring("ep1")).build());
        assertEquals(List.of(new ConferenceReply.EndpointReply("ep1", null, true)), expiredEndpoint.endpoints());

        client.expire(MEETING_ID);
        assertEquals(List.of(MEETING_ID), bridge.expired);
        assertThrows(BridgeException.NotFound.class, () -> client.apply(patch));
    }

    @Test
    void conferenceStatistics() throws Exception {
        client.apply(bridgeSide.parseCreate(Samples.bytes("create-request.json")));

        assertEquals(bridge.conferenceStats(MEETING_ID), client.conferenceStats(MEETING_ID));
        assertThrows(BridgeException.NotFound.class, () -> client.conferenceStats(new MeetingId("unknown")));

        bridge.withoutConferenceStats = true;
        assertThrows(BridgeException.BadRequest.class, () -> client.conferenceStats(MEETING_ID));
    }

    @Test
    void mediaStatusOfTheConferencesAskedAbout() throws Exception {
        MeetingId other = new MeetingId("other");
        bridge.media = List.of(new EndpointMedia(MEETING_ID, "customer", MediaFlow.FLOWING),
                new EndpointMedia(MEETING_ID, "staff-1", MediaFlow.STOPPED),
                new EndpointMedia(other, "customer", MediaFlow.CONNECTING));

        assertEquals(bridge.media.subList(0, 2), client.mediaStatus(List.of(MEETING_ID)));
        assertEquals(List.of(), client.mediaStatus(List.of(new MeetingId("nobody"))));
        assertTrue(body(send("POST", "/livedesk/media-status", "application/json",
                "{\"meeting_ids\":[\"" + MEETING + "\"]}")).contains("\"media\":\"stopped\""));

        bridge.mediaAsked.clear();
        List<MeetingId> many = java.util.stream.IntStream.range(0, 2500).mapToObj(i -> new MeetingId("m" + i)).toList();
        client.mediaStatus(many);
        assertEquals(List.of(1000, 1000, 500), bridge.mediaAsked.stream().map(List::size).toList(),
                "asked in parts a bridge node accepts");
    }

    @Test
    void mediaStatusRequestsAreReadStrictly() throws Exception {
        bridge.media = List.of();
        assertEquals(400, send("POST", "/livedesk/media-status", "application/json", "{\"meeting_ids\":[7]}").statusCode());
        assertEquals(400, send("POST", "/livedesk/media-status", "application/json",
                "{\"meeting_ids\":[\"a/b\"]}").statusCode());
        assertEquals(400, send("POST", "/livedesk/media-status", "application/json",
                "{\"meeting_ids\":[],\"all\":true}").statusCode());
        assertEquals(415, send("POST", "/livedesk/media-status", "text/plain", "{}").statusCode());
        assertEquals(405, get("/livedesk/media-status").statusCode());
    }

    @Test
    void aBridgeThatCannotTellItsMediaStatusIsABadRequest() {
        bridge.media = null;

        assertThrows(BridgeException.BadRequest.class, () -> client.mediaStatus(List.of(MEETING_ID)));
    }

    @Test
    void unknownMeetingIsNotFound() {
        ConferenceRequest patch = ConferenceRequest.modifying(new MeetingId("nope")).endpoint(EndpointRequest.expiring("ep1")).build();

        assertThrows(BridgeException.NotFound.class, () -> client.apply(patch));
    }

    @Test
    void expiringAnUnknownConferenceIsANoOp() throws Exception {
        client.expire(new MeetingId("never-created"));

        assertEquals(List.of(new MeetingId("never-created")), bridge.expired);
    }

    @Test
    void stats() throws Exception {
        bridge.stats = new BridgeStats(0.42, 2, 5, true, true, false, 100, 200, 3000, 4000);

        BridgeStats read = client.stats();
        assertEquals(new BridgeStats(0.42, 2, 5, true, true, false, 100, 200, 3000, 4000, null, read.version()), read);
        assertNotNull(read.version(), "the server's version");
        assertTrue(body(get("/colibri/stats")).contains("\"stress_level\":0.42"));
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> healthy = get("/about/health");
        assertEquals(200, healthy.statusCode());
        assertEquals("", healthy.body());

        bridge.stats = new BridgeStats(0, 0, 0, false, false, false, 0, 0, 0, 0);
        assertEquals(500, get("/about/health").statusCode());

        bridge.stats = new BridgeStats(0, 0, 0, true, false, true, 0, 0, 0, 0);
        assertEquals(500, get("/about/health").statusCode());

        bridge.failure = new BridgeException.Unavailable("down", null);
        assertEquals(500, get("/about/health").statusCode());
    }

    @Test
    void version() throws Exception {
        HttpResponse<String> version = get("/about/version");

        assertEquals(200, version.statusCode());
        var tree = Samples.tree(version.body().getBytes(StandardCharsets.UTF_8));
        assertTrue(tree.has("name") && tree.has("version") && tree.has("os"), version.body());
    }

    @Test
    void listingConferencesIsNotImplemented() throws Exception {
        assertEquals(501, get("/colibri/v2/conferences").statusCode());
        assertEquals(501, get("/colibri/v2/conferences/").statusCode());
    }

    @Test
    void httpErrorsSayWhatIsWrong() throws Exception {
        HttpResponse<String> noCreate = send("POST", "/colibri/v2/conferences/", "application/json", "{\"meeting-id\":\"m\"}");
        assertEquals(400, noCreate.statusCode());
        assertTrue(noCreate.body().contains("create"), noCreate.body());

        HttpResponse<String> garbage = send("PATCH", "/colibri/v2/conferences/" + MEETING, "application/json", "{\"endpoints\":[{");
        assertEquals(400, garbage.statusCode());
        assertTrue(garbage.body().contains("malformed JSON"), garbage.body());

        HttpResponse<String> relays = send("PATCH", "/colibri/v2/conferences/" + MEETING, "application/json",
                "{\"relays\":[{\"id\":\"r1\",\"create\":true}]}");
        assertEquals(400, relays.statusCode());
        assertTrue(relays.body().contains("relays[0].transport is required"), relays.body());

        assertEquals(404, get("/nothing/here").statusCode());
        assertEquals(404, get("/colibri/v2/conferences/" + MEETING + "/dominant-speaker-identification").statusCode());
        HttpResponse<String> badStatsId = get("/livedesk/conferences/a%20b/stats");
        assertEquals(400, badStatsId.statusCode());
        assertTrue(badStatsId.body().contains("meeting-id in the path must match"), badStatsId.body());

        HttpResponse<String> delete = send("DELETE", "/colibri/v2/conferences/" + MEETING, null, null);
        assertEquals(405, delete.statusCode());
        assertEquals("PATCH", delete.headers().firstValue("Allow").orElse(""));
        assertEquals(405, send("POST", "/about/health", "application/json", "{}").statusCode());

        assertEquals(415, send("POST", "/colibri/v2/conferences/", "text/plain", "{}").statusCode());

        String huge = "{\"meeting-id\":\"m\",\"create\":true,\"name\":\"" + "x".repeat(100 * 1024) + "\"}";
        assertEquals(413, send("POST", "/colibri/v2/conferences/", "application/json", huge).statusCode());

        assertTrue(bridge.applied.isEmpty(), "nothing bad reached the bridge");
    }

    @Test
    void bridgeFailuresMapToTheRightExceptions() {
        ConferenceRequest create = ConferenceRequest.creating(new MeetingId("m1")).build();

        bridge.failure = new BridgeException.BadRequest("no such codec");
        BridgeException.BadRequest bad = assertThrows(BridgeException.BadRequest.class, () -> client.apply(create));
        assertTrue(bad.getMessage().contains("no such codec"), bad.getMessage());

        bridge.failure = new BridgeException.Unavailable("shutting down", null);
        assertThrows(BridgeException.Unavailable.class, () -> client.apply(create));

        bridge.failure = null;
        bridge.bug = new IllegalStateException("boom");
        BridgeException.Unavailable internal = assertThrows(BridgeException.Unavailable.class, () -> client.apply(create));
        assertTrue(internal.getMessage().contains("500"), internal.getMessage());
        assertFalse(internal.getMessage().contains("boom"), "internals stay on the server");
    }

    @Test
    void unreachableAndSlowBridgesAreUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (Colibri2Client nowhere = new Colibri2Client("nowhere",
                Colibri2Client.Options.of(URI.create("http://127.0.0.1:" + closedPort)))) {
            assertThrows(BridgeException.Unavailable.class, nowhere::stats);
        }

        bridge.gate = new CountDownLatch(1);
        try (Colibri2Client impatient = new Colibri2Client("impatient",
                new Colibri2Client.Options(base, Duration.ofSeconds(1), Duration.ofMillis(300)))) {
            assertThrows(BridgeException.Unavailable.class, impatient::stats);
        }
    }

    @Test
    void aFullWorkerPoolAnswers503() throws Exception {
        try (Colibri2HttpServer small = new Colibri2HttpServer(bridge,
                Colibri2HttpServer.Options.defaults().withPort(0).withWorkers(1, 1))) {
            int port = small.start().getPort();
            bridge.gate = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> calls = List.of(
                    raw.sendAsync(request("GET", URI.create("http://127.0.0.1:" + port + "/colibri/stats"), null, null),
                            HttpResponse.BodyHandlers.ofString()),
                    raw.sendAsync(request("GET", URI.create("http://127.0.0.1:" + port + "/colibri/stats"), null, null),
                            HttpResponse.BodyHandlers.ofString()),
                    raw.sendAsync(request("GET", URI.create("http://127.0.0.1:" + port + "/colibri/stats"), null, null),
                            HttpResponse.BodyHandlers.ofString()));

            // One call runs (held by the gate), one waits in the queue, the third is turned away at once.
            CompletableFuture.anyOf(calls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            HttpResponse<String> rejected = calls.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().join();
            assertEquals(503, rejected.statusCode());
            assertEquals("1", rejected.headers().firstValue("Retry-After").orElse(""));
            bridge.gate.countDown();
            long ok = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
            assertEquals(2, ok);
        }
    }

    @Test
    void closeFreesThePortAndTheThreads() throws Exception {
        Colibri2HttpServer other = new Colibri2HttpServer(bridge, Colibri2HttpServer.Options.defaults().withPort(0));
        int port = other.start().getPort();
        assertEquals(200, raw.send(request("GET", URI.create("http://127.0.0.1:" + port + "/about/health"), null, null),
                HttpResponse.BodyHandlers.ofString()).statusCode());

        other.close();
        client.close();
        server.close();

        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().matches("colibri2-(accept|io|worker).*")));
        assertNull(other.address());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        return raw.send(request(method, base.resolve(path), contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, URI uri, String contentType, String body) {
        // A large body asks first (Expect: 100-continue), so the 413 comes before the body is sent.
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .expectContinue(body != null && body.length() > 8192);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String body(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
