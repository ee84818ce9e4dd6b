package io.livedesk.signaling.cluster;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class RedisClusterBusTest extends ClusterBusContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    /** Each node has its own connections and bus, as separate processes would. */
    private final List<RedisConnections> connections = new ArrayList<>();
    private final List<ClusterBus> buses = new ArrayList<>();

    @Override
    protected ClusterBus busFor(String nodeId) {
        RedisConnections c = new RedisConnections(redis.url(), Duration.ofSeconds(5));
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
    }
}
