package io.livedesk.signaling.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.cluster.MessageRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * {@link LiveEvent}s to every node over the cluster bus's all-nodes channel (one publish per event), read
 * back in the order they were published.
 */
public final class LiveBus {
    private static final Logger log = LoggerFactory.getLogger(LiveBus.class);
    public static final String ADDRESS = "#live";

    private final MessageRouter router;
    private final ObjectMapper json;

    public LiveBus(MessageRouter router, ObjectMapper json) {
        this.router = router;
        // Events are server-made and may be larger than anything a client may send: no client read limits.
        this.json = json.copy();
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.defaults());
    }

    public void publish(LiveEvent event) {
        try {
            router.toAllNodes(ADDRESS, json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a livestream event could not be written", e);
        }
    }

    /** Hands every event any node publishes to {@code receiver}, on the bus's delivery thread. Before the router starts. */
    public void subscribe(Consumer<LiveEvent> receiver) {
        router.onNodeTasks(ADDRESS, text -> {
            LiveEvent event;
            try {
                event = json.readValue(text, LiveEvent.class);
            } catch (JsonProcessingException e) {
                log.warn("dropped a livestream event that could not be read: {}", e.getOriginalMessage());
                return;
            }
            receiver.accept(event);
        });
    }
}
