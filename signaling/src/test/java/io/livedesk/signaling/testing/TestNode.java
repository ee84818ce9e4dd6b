package io.livedesk.signaling.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.ws.WsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@link LiveDeskNode} on a free loopback port, for integration tests and benchmarks:
 *
 * <pre>{@code
 * try (TestNode node = TestNode.start(Map.of("livedesk.routing.ring-timeout", "3s"));
 *      WsClient staff = node.signIn(node.staffToken("staff-1", "Zhang Min", List.of("accounts"), List.of("en"), 1))) {
 *     staff.request(Map.of("type", "presence.set", "status", "available"));
 *     ...
 * }
 * }</pre>
 *
 * Every node started here shares {@link #JWT_SECRET}, so a token minted on one is valid on any other
 * (as in a cluster). Overrides use the keys of {@code reference.conf}; the test defaults (port 0 on
 * 127.0.0.1, two I/O threads, {@link #JWT_SECRET}) can be overridden too.
 */
public final class TestNode implements AutoCloseable {

    /** The HS256 secret of every test node (at least 32 bytes). */
    public static final String JWT_SECRET = "livedesk-test-secret-0123456789abcdef";
    public static final String ISSUER = "livedesk";

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(HTTP_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final LiveDeskNode node;
    private final String baseUrl;

    private TestNode(LiveDeskNode node) {
        this.node = node;
        this.baseUrl = "http://127.0.0.1:" + node.port();
    }

    /** A node with in-process stores and default settings. */
    public static TestNode start() {
        return start(Map.of());
    }

    /** A UDP port free on loopback right now. */
    public static int freeUdpPort() {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A node with the given configuration overrides (e.g. {@code "livedesk.redis.url": url}). */
    public static TestNode start(Map<String, ?> overrides) {
        return start(overrides, java.time.Clock.systemUTC());
    }

    /**
     * A node whose waits and durations are measured with {@code clock} (nodes may share one to script exact
     * times; give them node and grace timeouts longer than the clock is moved, or they take each other for dead).
     */
    public static TestNode start(Map<String, ?> overrides, java.time.Clock clock) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("livedesk.server.host", "127.0.0.1");
        settings.put("livedesk.server.port", 0);
        settings.put("livedesk.server.io-threads", 2);
        settings.put("livedesk.auth.jwt-secret", JWT_SECRET);
        // Each node's in-process bridge on a port of its own, so nodes and test classes never collide.
        settings.put("livedesk.bridge.port", freeUdpPort());
        settings.putAll(overrides);
        LiveDeskNode node = new LiveDeskNode(LiveDeskConfig.withOverrides(settings), clock);
        try {
            node.start();
        } catch (InterruptedException e) {
            node.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a node", e);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return new TestNode(node);
    }

    public LiveDeskNode node() {
        return node;
    }

    /** The node's transcription entry point, for tests that play the speech pipeline. */
    public io.livedesk.signaling.transcript.TranscriptService transcripts() {
        return node.transcripts();
    }

    public String nodeId() {
        return node.nodeId();
    }

    public int port() {
        return node.port();
    }

    /** e.g. {@code http://127.0.0.1:41234} */
    public String baseUrl() {
        return baseUrl;
    }

    /** e.g. {@code ws://127.0.0.1:41234/ws} */
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public String adminKey() {
        return node.adminKey();
    }

    // ---- tokens (POST /api/dev/tokens) ----

    /**
     * Mints a token through the dev endpoint. Skills, languages and capacity only matter for staff and
     * supervisors.
     */
    public String token(String role, String subject, String name, Collection<String> skills,
                        Collection<String> languages, int capacity) {
        return token(role, subject, name, skills, languages, capacity, List.of());
    }

    /** A token granting {@code permissions} (wire names, e.g. {@code "livestream"}) too. */
    public String token(String role, String subject, String name, Collection<String> skills,
                        Collection<String> languages, int capacity, Collection<String> permissions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", role);
        body.put("subject", subject);
        body.put("name", name);
        body.put("skills", List.copyOf(skills));
        body.put("languages", List.copyOf(languages));
        body.put("capacity", capacity);
        if (!permissions.isEmpty()) {
            body.put("permissions", List.copyOf(permissions));
        }
        return mint(body);
    }

    public String customerToken(String subject, String name) {
        return token("customer", subject, name, List.of(), List.of(), 1);
    }

    /** A customer whose token marks them a passing visitor (claim {@code anonymous}): no history is kept. */
    public String anonymousCustomerToken(String subject, String name) {
        return mint(Map.of("role", "customer", "subject", subject, "name", name, "anonymous", true));
    }

    /** A customer allowed to ask for priorities up to {@code maxPriority}. */
    public String customerToken(String subject, String name, int maxPriority) {
        return mint(Map.of("role", "customer", "subject", subject, "name", name, "maxPriority", maxPriority));
    }

    public String staffToken(String subject, String name, Collection<String> skills, Collection<String> languages,
                             int capacity) {
        return token("staff", subject, name, skills, languages, capacity);
    }

    public String supervisorToken(String subject, String name) {
        return token("supervisor", subject, name, List.of(), List.of(), 1);
    }

    /** A token with exactly these fields of the dev token endpoint (role, subject, name, region, ...). */
    public String token(Map<String, ?> body) {
        return mint(body);
    }

    private String mint(Map<String, ?> body) {
        HttpResponse<String> response = post("/api/dev/tokens", write(body), null, Map.of("X-Admin-Key", adminKey()));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("minting a token failed: " + response.statusCode() + " " + response.body());
        }
        return parse(response.body()).path("token").asText();
    }

    // ---- WebSocket ----

    /** A new, not yet signed-in WebSocket to this node. */
    public WsClient connect() {
        return WsClient.connect(wsUri());
    }

    /** A new WebSocket that has sent {@code hello} with the token and got {@code welcome}. */
    public WsClient signIn(String token) {
        WsClient client = connect();
        try {
            client.hello(token);
            return client;
        } catch (RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    // ---- REST ----

    /** GET with an optional bearer token (null for none). */
    public HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    /** POST a JSON body (may be empty) with an optional bearer token (null for none) and more headers. */
    public HttpResponse<String> post(String path, String jsonBody, String bearer, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(b::header);
        return send(b);
    }

    /** GET that must answer 200; the body as JSON. */
    public JsonNode getJson(String path, String bearer) {
        HttpResponse<String> response = get(path, bearer);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the node as a crash would ({@link LiveDeskNode#halt}): no heartbeat, sockets dropped without a word,
     * nothing handed over, nothing written to the stores. Other nodes notice by its missing heartbeat. Idempotent,
     * and {@link #close} after it does nothing.
     */
    public void kill() {
        node.halt();
    }

    /** Stops the node gracefully (clients get {@code server.shutdown}). Idempotent. */
    @Override
    public void close() {
        node.close();
    }
}
