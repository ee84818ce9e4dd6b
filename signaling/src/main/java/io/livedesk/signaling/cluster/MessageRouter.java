package io.livedesk.signaling.cluster;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.server.LocalConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Delivers a server message to a subject wherever they are connected: straight to the socket when on
 * this node, over the cluster bus to the node holding them otherwise. A subject connected nowhere
 * misses the message; what it carried is in the stores and reaches them on resume.
 */
public final class MessageRouter {
    private static final Logger log = LoggerFactory.getLogger(MessageRouter.class);

    private final String nodeId;
    private final LocalConnections local;
    private final SessionStore sessions;
    private final ClusterBus bus;
    private final MessageCodec codec;
    private final String sessionReplaced;
    /** Node-to-node work by address (calls' media {@code #media}, livestreams' {@code #live-media}, ...). */
    private final Map<String, Consumer<String>> taskReceivers = new ConcurrentHashMap<>();

    public MessageRouter(String nodeId, LocalConnections local, SessionStore sessions, ClusterBus bus, MessageCodec codec) {
        this.nodeId = nodeId;
        this.local = local;
        this.sessions = sessions;
        this.bus = bus;
        this.codec = codec;
        this.sessionReplaced = codec.write(new ServerMessage.Error(null, ErrorCode.SESSION_REPLACED.wire(),
                "signed in again elsewhere"));
    }

    /**
     * Node-to-node work rather than a message for a subject: what arrives for {@code address} (one no
     * subject can have, see {@link NodeTasks}) goes to the receiver. One receiver per address, each set
     * before {@link #start}.
     */
    public void onNodeTasks(String address, Consumer<String> receiver) {
        if (Subject.parse(address).isPresent()) {
            throw new IllegalArgumentException("a subject could have the task address " + address);
        }
        if (taskReceivers.putIfAbsent(address, receiver) != null) {
            throw new IllegalStateException("tasks for " + address + " already have a receiver");
        }
    }

    /** Sends node-task work to every node, this one included (e.g. a livestream event). */
    public void toAllNodes(String address, String json) {
        bus.publishToAll(address, json);
    }

    /** Starts taking messages that other nodes send to subjects here. */
    public void start() {
        bus.subscribe(nodeId, (address, json) -> {
            Consumer<String> tasks = taskReceivers.get(address);
            if (tasks != null) {
                tasks.accept(json);
            } else {
                deliverHere(address, json);
            }
        });
    }

    /** On the bus a subject is addressed by its plain string. */
    private void deliverHere(String address, String json) {
        Subject.parse(address).flatMap(local::get).ifPresent(c -> {
            c.sendJson(json);
            if (json.equals(sessionReplaced)) {
                c.close(4001, "session replaced");
            }
        });
    }

    /** The subject signed in again elsewhere: their old connection, here or on another node, is told and closed. */
    public void replaced(SessionLocation old) {
        if (old.nodeId().equals(nodeId)) {
            local.byConnectionId(old.connectionId()).ifPresent(c -> {
                c.sendJson(sessionReplaced);
                c.close(4001, "session replaced");
            });
        } else {
            bus.publish(old.nodeId(), old.subject().value(), sessionReplaced);
        }
    }

    public void send(Subject subject, ServerMessage message) {
        String json = codec.write(message);
        var here = local.get(subject);
        if (here.isPresent()) {
            here.get().sendJson(json);
            return;
        }
        var where = sessions.locate(subject);
        if (where.isPresent() && !where.get().nodeId().equals(nodeId)) {
            bus.publish(where.get().nodeId(), subject.value(), json);
        } else {
            log.debug("{} not connected; {} not delivered", subject, message.type());
        }
    }
}
