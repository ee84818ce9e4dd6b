package io.livedesk.speech.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A plain vosk-server client on the JDK's WebSocket (independent of Tyrus, so it checks our wire
 * format rather than our own client's reading of it).
 */
public final class WsClient implements AutoCloseable {
    /** How a connection ended. */
    public record Closed(int code, String reason) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    /** Held: the JDK shuts a client's connections down once the client itself is unreachable. */
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket ws;

    private WsClient(URI uri) throws Exception {
        StringBuilder partial = new StringBuilder();
        ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(new Closed(statusCode, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete(new Closed(-1, error.toString()));
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    public static WsClient connect(String uri) throws Exception {
        return new WsClient(URI.create(uri));
    }

    public WsClient text(String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        return this;
    }

    public WsClient binary(byte[] data) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(data), true).get(5, TimeUnit.SECONDS);
        return this;
    }

    /** The next text message from the server, parsed. */
    public JsonNode next() throws Exception {
        String m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message from the server within 10 s; closed: " + closed.getNow(null));
        }
        return JSON.readTree(m);
    }

    /** Every message up to the close, then the close. */
    public List<JsonNode> drainUntilClosed(List<JsonNode> into) throws Exception {
        Closed c = awaitClosed();
        String m;
        while ((m = messages.poll()) != null) {
            into.add(JSON.readTree(m));
        }
        return into;
    }

    public Closed awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    public List<JsonNode> remaining() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String m;
        while ((m = messages.poll()) != null) {
            out.add(JSON.readTree(m));
        }
        return out;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
