package io.livedesk.signaling.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Work of one kind handed to another node over the cluster bus: a task travels as JSON under an address no
 * signed-in subject can have (subjects are letters, digits and {@code ._:@-}; task addresses start with
 * {@code #}) and runs there on a worker thread. What the media node of a call ({@code #media}) or of a
 * livestream ({@code #live-media}) is handed travels this way. Best effort, like the rest of node-to-node
 * delivery: a task for a node that is gone is lost.
 *
 * @param <T> the task, a record Jackson reads and writes
 */
public final class NodeTasks<T> {
    private static final Logger log = LoggerFactory.getLogger(NodeTasks.class);

    private final ClusterBus bus;
    private final ObjectMapper json;
    private final String address;
    private final Class<T> type;

    public NodeTasks(ClusterBus bus, ObjectMapper json, String address, Class<T> type) {
        if (!address.startsWith("#")) {
            throw new IllegalArgumentException("a task address starts with '#', which no subject can: " + address);
        }
        this.bus = bus;
        this.json = json;
        this.address = address;
        this.type = type;
    }

    public String address() {
        return address;
    }

    /** Sends the task to {@code nodeId}. */
    public void forward(String nodeId, T task) {
        try {
            bus.publish(nodeId, address, json.writeValueAsString(task));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a task for " + address + " could not be written", e);
        }
    }

    /**
     * What this node does with the tasks handed to it (for {@link MessageRouter#onNodeTasks}): reads each and
     * runs {@code handler} with it on the workers. A task that cannot be read, or finds the workers full, is
     * logged (as {@code describe} tells it) and dropped.
     */
    public Consumer<String> receiver(Consumer<T> handler, Executor workers, Function<T, String> describe) {
        return text -> {
            T task;
            try {
                task = json.readValue(text, type);
            } catch (JsonProcessingException e) {
                log.warn("dropped a task for {} that could not be read: {}", address, e.getOriginalMessage());
                return;
            }
            try {
                workers.execute(() -> handler.accept(task));
            } catch (RejectedExecutionException e) {
                log.warn("{} dropped, the workers are full", describe.apply(task));
            }
        };
    }
}
