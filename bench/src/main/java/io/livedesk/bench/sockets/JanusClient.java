package io.livedesk.bench.sockets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Janus API session over its HTTP transport (JDK HttpClient, Jackson): attach handles, send plugin
 * messages, and one long-poll thread that receives every event of the session, hands each asynchronous
 * reply to the request with its transaction, and notes {@code webrtcup} and {@code hangup} per handle. The
 * long poll is also what keeps the session alive (the transport counts each poll as a keepalive).
 */
final class JanusClient implements AutoCloseable {
    /** Janus holds a long poll for up to 30 s, then answers with a keepalive; wait a little longer. */
    static final Duration LONG_POLL_TIMEOUT = Duration.ofSeconds(40);
    /** Events taken per long poll. */
    private static final int MAX_EVENTS_PER_POLL = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Duration requestTimeout;
    private final long session;
    private final AtomicLong transactions = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Void>> webrtcUp = new ConcurrentHashMap<>();
    private final AtomicLong hangups = new AtomicLong();
    private final AtomicReference<String> firstHangup = new AtomicReference<>();
    private final Thread poller;
    private volatile boolean closed;

    /** A plugin's asynchronous reply: its {@code plugindata.data} and, if any, its JSEP. */
    record Event(JsonNode data, JsonNode jsep) {
    }

    /**
     * Creates a session on the Janus at {@code base} (e.g. {@code http://127.0.0.1:8088/janus}).
     *
     * @param requestTimeout how long one request or its asynchronous reply may take
     */
    JanusClient(URI base, Duration requestTimeout) throws IOException, InterruptedException {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout).build();
        this.base = base;
        this.requestTimeout = requestTimeout;
        JsonNode created = post(base, request("create"));
        this.session = created.path("data").path("id").asLong();
        poller = new Thread(this::poll, "bench-janus-events");
        poller.setDaemon(true);
        poller.start();
    }

    /** Attaches a handle to {@code plugin}, e.g. {@code janus.plugin.videoroom}. */
    long attach(String plugin) throws IOException, InterruptedException {
        ObjectNode attach = request("attach").put("plugin", plugin);
        return post(sessionUri(), attach).path("data").path("id").asLong();
    }

    /** A plugin request that Janus answers at once (videoroom {@code create}): its {@code plugindata.data}. */
    JsonNode request(long handle, ObjectNode body) throws IOException, InterruptedException {
        ObjectNode message = request("message");
        message.set("body", body);
        JsonNode reply = post(handleUri(handle), message);
        JsonNode data = reply.path("plugindata").path("data");
        checkPluginError(data);
        return data;
    }

    /**
     * A plugin message that Janus acknowledges and answers with an event (videoroom {@code join},
     * {@code publish}, {@code start}); waits for that event.
     *
     * @param jsep the offer or answer to send with it; null for none
     */
    Event message(long handle, ObjectNode body, ObjectNode jsep) throws IOException, InterruptedException {
        ObjectNode message = request("message");
        message.set("body", body);
        if (jsep != null) {
            message.set("jsep", jsep);
        }
        String transaction = message.path("transaction").asText();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        // Registered before the request goes out: the event may come before the acknowledgement.
        pending.put(transaction, reply);
        try {
            JsonNode ack = post(handleUri(handle), message);
            if (ack.path("janus").asText().equals("success")) {
                reply.complete(ack); // answered at once after all
            }
            JsonNode event = reply.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode data = event.path("plugindata").path("data");
            checkPluginError(data);
            return new Event(data, event.has("jsep") ? event.get("jsep") : null);
        } catch (ExecutionException e) {
            throw new IOException("Janus event for " + body + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no Janus event for " + body + " within " + requestTimeout);
        } finally {
            pending.remove(transaction);
        }
    }

    /** Waits until Janus says the handle's PeerConnection is up (ICE and DTLS done on its side). */
    void awaitWebrtcUp(long handle, Duration timeout) throws IOException, InterruptedException {
        try {
            webrtcUp(handle).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("handle " + handle + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Janus did not report handle " + handle + " up within " + timeout);
        }
    }

    /** PeerConnections Janus hung up (ICE failed, DTLS alert, no media, ...). */
    long hangups() {
        return hangups.get();
    }

    /** The first hang-up's handle and reason; null if none. */
    String firstHangup() {
        return firstHangup.get();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private CompletableFuture<Void> webrtcUp(long handle) {
        return webrtcUp.computeIfAbsent(handle, h -> new CompletableFuture<>());
    }

    private void poll() {
        URI uri = URI.create(sessionUri() + "?maxev=" + MAX_EVENTS_PER_POLL);
        while (!closed) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(LONG_POLL_TIMEOUT).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                JsonNode events = JSON.readTree(response.body());
                if (events.isArray()) {
                    events.forEach(this::dispatch);
                } else {
                    dispatch(events);
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    failAll(new IOException("Janus long poll failed: " + e, e));
                }
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void dispatch(JsonNode event) {
        String kind = event.path("janus").asText();
        long sender = event.path("sender").asLong();
        switch (kind) {
            case "webrtcup" -> webrtcUp(sender).complete(null);
            case "hangup" -> {
                String why = "handle " + sender + " hung up: " + event.path("reason").asText();
                hangups.incrementAndGet();
                firstHangup.compareAndSet(null, why);
                webrtcUp(sender).completeExceptionally(new IOException(why));
            }
            default -> {
                CompletableFuture<JsonNode> reply = pending.get(event.path("transaction").asText());
                if (reply != null && (kind.equals("event") || kind.equals("success") || kind.equals("error"))) {
                    if (kind.equals("error")) {
                        reply.completeExceptionally(new IOException("Janus error " + event.path("error")));
                    } else {
                        reply.complete(event);
                    }
                }
            }
        }
    }

    private void failAll(IOException e) {
        pending.values().forEach(f -> f.completeExceptionally(e));
        webrtcUp.values().forEach(f -> f.completeExceptionally(e));
    }

    private ObjectNode request(String kind) {
        return JSON.createObjectNode().put("janus", kind).put("transaction", "t" + transactions.incrementAndGet());
    }

    private JsonNode post(URI uri, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Janus HTTP " + response.statusCode() + " for " + body.path("janus").asText());
        }
        JsonNode reply = JSON.readTree(response.body());
        if (reply.path("janus").asText().equals("error")) {
            throw new IOException("Janus error for " + body.path("janus").asText() + ": " + reply.path("error"));
        }
        return reply;
    }

    private static void checkPluginError(JsonNode data) throws IOException {
        if (data.has("error_code")) {
            throw new IOException("videoroom error " + data.path("error_code").asInt() + ": " + data.path("error").asText());
        }
    }

    private URI sessionUri() {
        return URI.create(base + "/" + session);
    }

    private URI handleUri(long handle) {
        return URI.create(base + "/" + session + "/" + handle);
    }

    /** Destroys the session (Janus then hangs up its handles) and ends the long poll. */
    @Override
    public void close() {
        closed = true;
        try {
            post(sessionUri(), request("destroy"));
        } catch (IOException e) {
            // Janus is stopping or gone: nothing left to destroy.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poller.interrupt();
    }
}
