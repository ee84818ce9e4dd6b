package io.livedesk.bench.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One signed-in WebSocket session of the wallboard benchmark, on the JDK's client: requests answered by id,
 * every other frame (and every reply too) handed to a listener with the time it arrived.
 */
final class BoardClient implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final BiConsumer<JsonNode, Long> frames;
    private WebSocket socket;

    private BoardClient(BiConsumer<JsonNode, Long> frames) {
        this.frames = frames;
    }

    /** Connects and signs in; completes with the client once {@code welcome} arrived. */
    static CompletableFuture<BoardClient> open(HttpClient http, URI url, String token, BiConsumer<JsonNode, Long> frames) {
        BoardClient c = new BoardClient(frames);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(15)).buildAsync(url, c)
                .thenCompose(ws -> {
                    c.socket = ws;
                    return c.request(Map.of("type", "hello", "token", token));
                })
                .thenApply(welcome -> {
                    if (!"welcome".equals(welcome.path("type").asText())) {
                        throw new IllegalStateException("hello answered " + welcome);
                    }
                    return c;
                });
    }

    /** Sends a request (an id is added) and completes with its reply, which may be an {@code error}. */
    CompletableFuture<JsonNode> request(Map<String, ?> message) {
        String id = "b" + ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<JsonNode>().orTimeout(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, reply);
        Map<String, Object> withId = new HashMap<>(message);
        withId.put("id", id);
        try {
            synchronized (this) {
                socket.sendText(JSON.writeValueAsString(withId), true).join();
            }
        } catch (Exception e) {
            reply.completeExceptionally(e);
        }
        return reply;
    }

    /** Like {@link #request} but fails unless the reply is not an error. */
    CompletableFuture<JsonNode> requestOk(Map<String, ?> message) {
        return request(message).thenApply(r -> {
            if ("error".equals(r.path("type").asText())) {
                throw new IllegalStateException(message.get("type") + " answered " + r);
            }
            return r;
        });
    }

    void close() {
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        long at = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode m = JSON.readTree(text);
                CompletableFuture<JsonNode> reply = m.hasNonNull("id") ? pending.remove(m.path("id").asText()) : null;
                frames.accept(m, at);
                if (reply != null) {
                    reply.complete(m);
                }
            } catch (Exception e) {
                // A frame the benchmark cannot read is not its business; the next one may be.
            }
        }
        ws.request(1);
        return null;
    }
}
