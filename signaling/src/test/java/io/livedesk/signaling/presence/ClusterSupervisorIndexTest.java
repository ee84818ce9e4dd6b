package io.livedesk.signaling.presence;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The supervisor index contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterSupervisorIndexTest extends SupervisorIndexContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected SupervisorIndex createIndex() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new RedisSupervisorIndex(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeIndex() {
        if (connections != null) {
            connections.close();
        }
    }
}
