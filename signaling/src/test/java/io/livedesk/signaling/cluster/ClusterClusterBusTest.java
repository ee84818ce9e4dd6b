package io.livedesk.signaling.cluster;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The cluster bus contract over sharded pub/sub on a real 3-master Redis Cluster. */
class ClusterClusterBusTest extends ClusterBusContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    /** Each node has its own connections and bus, as separate processes would. */
    private final List<RedisConnections> connections = new ArrayList<>();
    private final List<ClusterBus> buses = new ArrayList<>();

    @Override
    protected ClusterBus busFor(String nodeId) {
        RedisConnections c = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        connections.add(c);
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
