package io.livedesk.signaling.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The cluster bus over Redis pub/sub, one channel per node ({@link RedisKeys#nodeChannel}) and one all nodes
 * hear ({@link RedisKeys#allNodesChannel}); a payload is
 * {@code {"to":subject,"msg":json}} with the message as a JSON string. Messages are handed to the listener
 * on one thread of this bus, in arrival order, never on Lettuce's event loop (a listener may call Redis).
 * A failing listener is logged; it never breaks the subscription.
 *
 * <p>On a Redis Cluster the channels are sharded (SPUBLISH, SSUBSCRIBE): a message then travels only within
 * the shard owning its channel's slot instead of being broadcast over the whole cluster bus, and the nodes'
 * channels spread over the masters. On one Redis or through Sentinel it is classic PUBLISH and SUBSCRIBE,
 * which every Redis version a Sentinel may manage has.
 */
public final class RedisClusterBus implements ClusterBus {

    private static final Logger log = LoggerFactory.getLogger(RedisClusterBus.class);

    private final RedisConnections connections;
    private final boolean sharded;
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cluster-bus-delivery");
        t.setDaemon(true);
        return t;
    });
    private StatefulRedisPubSubConnection<String, String> subscription;
    private AutoCloseable topologyWatch;

    public RedisClusterBus(RedisConnections connections, RedisKeys keys) {
        this(connections, keys, new ObjectMapper());
    }

    /**
     * @param json the node's mapper; the bus works on a copy without its read limits, because a server
     *             message may be far larger than anything a client is allowed to send
     */
    public RedisClusterBus(RedisConnections connections, RedisKeys keys, ObjectMapper json) {
        this.connections = connections;
        this.json = json.copy();
        this.json.getFactory().setStreamReadConstraints(StreamReadConstraints.defaults());
        this.redis = connections.sync();
        this.keys = keys;
        this.sharded = connections.cluster();
    }

    @Override
    public void publish(String nodeId, String subject, String message) {
        ObjectNode payload = json.createObjectNode().put("to", subject).put("msg", message);
        send(keys.nodeChannel(nodeId), payload.toString());
    }

    @Override
    public void publishToAll(String address, String message) {
        ObjectNode payload = json.createObjectNode().put("to", address).put("msg", message);
        send(keys.allNodesChannel(), payload.toString());
    }

    private void send(String channel, String payload) {
        if (sharded) {
            redis.spublish(channel, payload);
        } else {
            redis.publish(channel, payload);
        }
    }

    @Override
    public synchronized void subscribe(String nodeId, Listener listener) {
        if (subscription != null) {
            throw new IllegalStateException("already subscribed");
        }
        String channel = keys.nodeChannel(nodeId);
        String all = keys.allNodesChannel();
        subscription = connections.newPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String payload) {
                received(ch, payload);
            }

            @Override
            public void smessage(String ch, String payload) {
                received(ch, payload);
            }

            private void received(String ch, String payload) {
                if (channel.equals(ch) || all.equals(ch)) {
                    delivery.execute(() -> deliver(listener, payload));
                }
            }
        });
        // The synchronous calls return once Redis confirmed the subscription: nothing published after is missed.
        if (sharded) {
            // One call per channel: the two hash to different slots, and a sharded subscription names one slot.
            subscription.sync().ssubscribe(channel);
            subscription.sync().ssubscribe(all);
            // Lettuce keeps a sharded subscription on the node it was made on: after a failover it would wait
            // for the dead master forever. Subscribing again sends it to the slot's master now.
            StatefulRedisPubSubConnection<String, String> current = subscription;
            topologyWatch = connections.onTopologyChange(() -> resubscribe(current, channel, all));
        } else {
            subscription.sync().subscribe(channel, all);
        }
    }

    private static void resubscribe(StatefulRedisPubSubConnection<String, String> subscription, String... channels) {
        for (String ch : channels) {
            subscription.async().ssubscribe(ch).whenComplete((ok, e) -> {
                if (e != null) {
                    log.warn("could not subscribe again to {} after the cluster changed: {}", ch, e.toString());
                }
            });
        }
    }

    private void deliver(Listener listener, String payload) {
        String subject = null;
        try {
            JsonNode node = json.readTree(payload);
            subject = node.path("to").asText(null);
            String message = node.path("msg").asText(null);
            if (subject == null || message == null) {
                log.warn("dropping malformed cluster bus payload");
                return;
            }
            listener.deliver(subject, message);
        } catch (JsonProcessingException e) {
            log.warn("dropping unreadable cluster bus payload: {}", e.getOriginalMessage());
        } catch (RuntimeException e) {
            log.warn("cluster bus listener failed on a message for subject {}", subject, e);
        }
    }

    @Override
    public synchronized void close() {
        if (topologyWatch != null) {
            try {
                topologyWatch.close();
            } catch (Exception e) {
                log.debug("closing the topology watch: {}", e.toString());
            }
            topologyWatch = null;
        }
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(2, TimeUnit.SECONDS)) {
                delivery.shutdownNow();
            }
        } catch (InterruptedException e) {
            delivery.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
