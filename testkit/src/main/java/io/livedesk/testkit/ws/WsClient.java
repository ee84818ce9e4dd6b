package io.livedesk.testkit.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A small WebSocket test client on the JDK's {@link java.net.http.WebSocket}. Every text message the
 * server sends is parsed as JSON and queued; the {@code await...} methods take the first queued message
 * that matches and leave the others queued in order, so a test can wait for a reply while events keep
 * arriving. Sends are serialised, so one client may be used from several threads. Independent of the
 * servers' own WebSocket stacks (Netty, Tyrus), so it checks their wire format rather than their
 * reading of it: the signaling protocol and the vosk-server protocol of the speech node alike.
 *
 * <pre>{@code
 * try (WsClient c = WsClient.connect(node.wsUri())) {
 *     c.hello(token);
 *     JsonNode queued = c.request(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
 *     JsonNode offer = staff.awaitType("offer", WsClient.DEFAULT_TIMEOUT);
 * }
 * }</pre>
 */
public final class WsClient implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ws-test-client");
        t.setDaemon(true);
        return t;
    });
    /** One HTTP client (one selector thread) for every test WebSocket in the JVM. */
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(CALLBACKS).build();

    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    /** Messages taken from the inbox by an await that wanted something else, in arrival order. */
    private final LinkedList<JsonNode> skipped = new LinkedList<>();
    private final List<JsonNode> history = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger nextId = new AtomicInteger();
    /** Tells this client's requests apart in a server log; ids need only be unique within the client. */
    private final String idPrefix = "c" + Integer.toHexString(System.identityHashCode(this)) + "-";
    private final Object sendLock = new Object();
    private final WebSocket socket;
    private volatile boolean keepHistory = true;

    private WsClient(URI uri, Map<String, String> headers, Duration timeout) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(builder::header);
        try {
            this.socket = builder.buildAsync(uri, new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not open a WebSocket to " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not open a WebSocket to " + uri + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static WsClient connect(URI uri) {
        return new WsClient(uri, Map.of(), DEFAULT_TIMEOUT);
    }

    public static WsClient connect(String uri) {
        return connect(URI.create(uri));
    }

    /** With extra handshake headers, e.g. {@code Origin}. */
    public static WsClient connect(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers, DEFAULT_TIMEOUT);
    }

    // ---- sending ----

    /** Sends the object as a JSON text frame, as it is (no id is added). */
    public void send(Map<String, ?> message) {
        sendRaw(write(message));
    }

    public void send(ObjectNode message) {
        sendRaw(write(message));
    }

    /** Sends any text as one text frame and waits until it is handed to the socket. */
    public void sendRaw(String text) {
        synchronized (sendLock) {
            join(socket.sendText(text, true));
        }
    }

    public void sendBinary(byte[] data) {
        synchronized (sendLock) {
            join(socket.sendBinary(ByteBuffer.wrap(data), true));
        }
    }

    /** A fresh request id, unique within this client ({@code c7-1}, {@code c7-2}, …). */
    public String nextId() {
        return idPrefix + nextId.incrementAndGet();
    }

    /**
     * Sends the message with a fresh {@code id} (unless it has one) and returns the id; the reply can be
     * taken with {@link #awaitReply}.
     */
    public String sendRequest(Map<String, ?> message) {
        ObjectNode node = JSON.valueToTree(message);
        if (!node.hasNonNull("id")) {
            node.put("id", nextId());
        }
        send(node);
        return node.get("id").asText();
    }

    /** {@link #sendRequest} and wait for its reply (a result or an {@code error}). */
    public JsonNode request(Map<String, ?> message) {
        return awaitReply(sendRequest(message), DEFAULT_TIMEOUT);
    }

    /** {@link #request} that must not be an error. */
    public JsonNode requestOk(Map<String, ?> message) {
        JsonNode reply = request(message);
        if ("error".equals(type(reply))) {
            throw new AssertionError("request " + message + " failed: " + reply);
        }
        return reply;
    }

    /** Sends {@code hello}; fails unless the server answers {@code welcome}. Returns the welcome. */
    public JsonNode hello(String token) {
        JsonNode reply = request(Map.of("type", "hello", "token", token));
        if (!"welcome".equals(type(reply))) {
            throw new AssertionError("hello was not welcomed: " + reply);
        }
        return reply;
    }

    // ---- receiving ----

    /** The first queued message of this type, waiting up to the timeout for it. */
    public JsonNode awaitType(String type, Duration timeout) {
        return await(m -> type.equals(type(m)), timeout, "a message of type " + type);
    }

    /** The reply to the request with this id (its result or an {@code error}). */
    public JsonNode awaitReply(String id, Duration timeout) {
        return await(m -> id.equals(m.path("id").asText(null)), timeout, "the reply to request " + id);
    }

    /** The first queued message that matches, waiting up to the timeout; the others stay queued. */
    public JsonNode await(Predicate<JsonNode> matching, Duration timeout) {
        return await(matching, timeout, "a matching message");
    }

    private JsonNode await(Predicate<JsonNode> matching, Duration timeout, String what) {
        Optional<JsonNode> found = poll(matching, timeout);
        if (found.isEmpty()) {
            throw new AssertionError("no " + what + " within " + timeout + "; still queued: " + queued()
                    + (closed.isDone() ? "; the socket closed with " + closed.getNow(null) : ""));
        }
        return found.get();
    }

    /** Like {@link #await(Predicate, Duration)} but empty instead of failing on timeout. */
    public Optional<JsonNode> poll(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (skipped) {
            for (Iterator<JsonNode> it = skipped.iterator(); it.hasNext(); ) {
                JsonNode m = it.next();
                if (matching.test(m)) {
                    it.remove();
                    return Optional.of(m);
                }
            }
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m;
                try {
                    m = left <= 0 ? inbox.poll() : inbox.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                if (m == null) {
                    return Optional.empty();
                }
                if (matching.test(m)) {
                    return Optional.of(m);
                }
                skipped.add(m);
            }
        }
    }

    /** The next message in arrival order, or empty if none comes within the timeout. */
    public Optional<JsonNode> next(Duration timeout) {
        return poll(m -> true, timeout);
    }

    /** The next message in arrival order; fails if none comes within {@link #DEFAULT_TIMEOUT}. */
    public JsonNode next() {
        return next(DEFAULT_TIMEOUT).orElseThrow(() -> new AssertionError("no message within " + DEFAULT_TIMEOUT
                + (closed.isDone() ? "; the socket closed with " + closed.getNow(null) : "")));
    }

    /** The next {@code n} messages in arrival order; fails if they do not all come within the timeout. */
    public List<JsonNode> awaitMessages(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> out = new ArrayList<>(n);
        while (out.size() < n) {
            Optional<JsonNode> m = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (m.isEmpty()) {
                throw new AssertionError("got " + out.size() + " of " + n + " messages within " + timeout + ": " + out
                        + (closed.isDone() ? "; the socket closed with " + closed.getNow(null) : ""));
            }
            out.add(m.get());
        }
        return out;
    }

    /** Takes every message queued now, without waiting. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        for (Optional<JsonNode> m = next(Duration.ZERO); m.isPresent(); m = next(Duration.ZERO)) {
            out.add(m.get());
        }
        return out;
    }

    /** Messages received and not yet taken, in arrival order. */
    public List<JsonNode> queued() {
        synchronized (skipped) {
            List<JsonNode> out = new ArrayList<>(skipped);
            out.addAll(inbox);
            return out;
        }
    }

    /** Stops recording {@link #history} (for long-running load, where it would only grow). Returns this. */
    public WsClient withoutHistory() {
        keepHistory = false;
        history.clear();
        return this;
    }

    /** Every message ever received on this socket, in arrival order, taken or not (unless turned off). */
    public List<JsonNode> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    // ---- closing ----

    /** Completes with the close status the server sent (or 1006 if the connection broke without one). */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    /** The close status, waiting up to the timeout for the server to close; fails if it stays open. */
    public int awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the socket within " + timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public boolean isOpen() {
        return !closed.isDone() && !socket.isOutputClosed();
    }

    /** Closes normally, waiting briefly for the server's close, then drops the connection. Idempotent. */
    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                synchronized (sendLock) {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
                }
            }
            closed.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // closing a socket the server already dropped; abort below
        } finally {
            socket.abort();
            closed.complete(WebSocket.NORMAL_CLOSURE);
        }
    }

    // ---- helpers ----

    /** The {@code type} of a message, or null. */
    public static String type(JsonNode message) {
        return message.path("type").asText(null);
    }

    /** The {@code code} of an error message, or null if it is not an error. */
    public static String errorCode(JsonNode message) {
        return "error".equals(type(message)) ? message.path("code").asText(null) : null;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void join(CompletableFuture<WebSocket> sending) {
        try {
            sending.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("sending failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("sending did not complete within " + DEFAULT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonNode message;
                try {
                    message = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    message = JSON.createObjectNode().put("type", "(not json)").put("text", text);
                }
                receive(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            receive(JSON.createObjectNode().put("type", "(binary)").put("bytes", data.remaining()));
            webSocket.request(1);
            return null;
        }

        private void receive(JsonNode message) {
            if (keepHistory) {
                history.add(message);
            }
            inbox.add(message);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
