package io.livedesk.signaling.cluster;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The node registry contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterNodeRegistryTest extends NodeRegistryContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected NodeRegistry createRegistry() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new RedisNodeRegistry(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeRegistry() {
        if (connections != null) {
            connections.close();
        }
    }
}
