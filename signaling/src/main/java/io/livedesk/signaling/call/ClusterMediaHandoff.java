package io.livedesk.signaling.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.cluster.ClusterBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * {@link MediaHandoff} over the cluster bus: a task travels as JSON to the owning node under
 * {@link #SUBJECT}, an address no signed-in subject can have (subjects are letters, digits and
 * {@code ._:@-}), and runs there on a worker thread.
 */
public final class ClusterMediaHandoff implements MediaHandoff {
    private static final Logger log = LoggerFactory.getLogger(ClusterMediaHandoff.class);
    public static final String SUBJECT = "#media";

    private final ClusterBus bus;
    private final ObjectMapper json;

    public ClusterMediaHandoff(ClusterBus bus, ObjectMapper json) {
        this.bus = bus;
        this.json = json;
    }

    @Override
    public void forward(String nodeId, MediaTask task) {
        try {
            bus.publish(nodeId, SUBJECT, json.writeValueAsString(task));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a media task could not be written", e);
        }
    }

    /** What this node does with tasks handed to it: reads them and runs them on the workers. */
    public Consumer<String> receiver(CallService calls, Executor workers) {
        return text -> {
            MediaTask task;
            try {
                task = json.readValue(text, MediaTask.class);
            } catch (JsonProcessingException e) {
                log.warn("dropped a media task that could not be read: {}", e.getOriginalMessage());
                return;
            }
            try {
                workers.execute(() -> calls.handle(task));
            } catch (RejectedExecutionException e) {
                log.warn("call {}: media task {} dropped, the workers are full", task.callId(), task.kind());
            }
        };
    }
}
