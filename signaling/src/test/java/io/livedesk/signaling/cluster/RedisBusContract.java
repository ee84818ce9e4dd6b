package io.livedesk.signaling.cluster;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The cluster bus contract over Redis: subclasses say which Redis (one server, or a cluster). */
abstract class RedisBusContract extends ClusterBusContract {

    /** Each node has its own connections and bus, as separate processes would. */
    private final List<RedisConnections> connections = new ArrayList<>();
    private final List<ClusterBus> buses = new ArrayList<>();

    protected abstract String redisUrl();

    @Override
    protected ClusterBus busFor(String nodeId) {
        RedisConnections c = new RedisConnections(redisUrl(), Duration.ofSeconds(5));
        connections.add(c);
        // The node's own mapper, as the server wires it.
        ClusterBus bus = new RedisClusterBus(c, new RedisKeys("test"), new MessageCodec().mapper());
        buses.add(bus);
        return bus;
    }

    @Override
    protected void closeBuses() {
        buses.forEach(ClusterBus::close);
        connections.forEach(RedisConnections::close);
        buses.clear();
        connections.clear();
    }
}
