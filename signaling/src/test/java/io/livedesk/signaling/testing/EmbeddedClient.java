package io.livedesk.signaling.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.ClientMessageHandler;
import io.livedesk.signaling.server.LocalConnections;
import io.livedesk.signaling.server.TokenBucket;
import io.livedesk.signaling.session.SessionService;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's connection on the node under test, without a socket: a real {@link ClientConnection} over
 * Netty's {@link EmbeddedChannel}, so whatever the server writes to it (replies, events, a close) is
 * kept in order and read here as JSON. Messages are handed to the {@link ClientMessageHandler} on the
 * calling thread, as the connection's serial executor would one at a time.
 */
public final class EmbeddedClient {
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientConnection connection;
    private final ClientMessageHandler handler;
    private final SessionService sessions;
    private final ObjectMapper json;
    private final List<JsonNode> inbox = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private Integer closeStatus;

    EmbeddedClient(ClientMessageHandler handler, SessionService sessions, ObjectMapper json, LocalConnections local) {
        this.handler = handler;
        this.sessions = sessions;
        this.json = json;
        this.connection = new ClientConnection("c-" + CONNECTIONS.incrementAndGet(), channel, new MessageCodec(), Runnable::run,
                new TokenBucket(1000, 1000, System.nanoTime()), local.waitingIndex());
    }

    public ClientConnection connection() {
        return connection;
    }

    /** Who this connection signed in as; null before a successful hello. */
    public Principal principal() {
        return connection.principal();
    }

    public String subject() {
        return principal().subject().value();
    }

    /** A request id not used before on this connection. */
    public String nextId() {
        return "m" + requests.incrementAndGet();
    }

    /** Hands the message to the handler; returns every message written with its id since (its replies). */
    public List<JsonNode> send(ClientMessage message) {
        int before = received().size();
        handler.handle(connection, message);
        List<JsonNode> all = received();
        return all.subList(before, all.size()).stream()
                .filter(m -> message.id().equals(m.path("id").asText(null)))
                .toList();
    }

    /** Sends and returns the single reply, failing when there is not exactly one. */
    public JsonNode request(ClientMessage message) {
        List<JsonNode> replies = send(message);
        if (replies.size() != 1) {
            throw new AssertionError(replies.size() + " replies to " + message + ": " + replies);
        }
        return replies.get(0);
    }

    /** Sends and returns the single reply, failing when it is an error. */
    public JsonNode requestOk(ClientMessage message) {
        JsonNode reply = request(message);
        if (reply.path("type").asText().equals("error")) {
            throw new AssertionError("error in reply to " + message + ": " + reply);
        }
        return reply;
    }

    /** Everything written to this connection so far, oldest first. */
    public List<JsonNode> received() {
        // Fan-outs hand their writes to the channel's event loop as tasks.
        channel.runPendingTasks();
        Object frame;
        while ((frame = channel.readOutbound()) != null) {
            if (frame instanceof TextWebSocketFrame text) {
                try {
                    inbox.add(json.readTree(text.text()));
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    text.release();
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                closeStatus = close.statusCode();
                close.release();
            }
        }
        return List.copyOf(inbox);
    }

    /** The messages of this type received so far. */
    public List<JsonNode> received(String type) {
        return received().stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }

    public Optional<JsonNode> last(String type) {
        List<JsonNode> all = received(type);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The last message of this type; fails when there is none. */
    public JsonNode lastOf(String type) {
        return last(type).orElseThrow(() -> new AssertionError("no " + type + " received; got " + received()));
    }

    /** Forgets what was received, so a test can look at what comes next. */
    public void clear() {
        received();
        inbox.clear();
    }

    /** The WebSocket close status the server sent, if it closed the connection. */
    public Optional<Integer> closeStatus() {
        received();
        return Optional.ofNullable(closeStatus);
    }

    public boolean open() {
        return channel.isActive();
    }

    /** The socket dropped: what the frame handler does when its channel goes inactive. */
    public void disconnect() {
        channel.close();
        sessions.closed(connection);
    }
}
