package io.livedesk.signaling.routing;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The steps on a real 3-master Redis Cluster: every key a step touches is in the {ld} slot. */
class ClusterRoutingStepsTest extends RoutingStepsContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected Stores createStores() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return RedisRoutingStepsTest.redisStores(connections);
    }

    @Override
    protected void closeStores() {
        if (connections != null) {
            connections.close();
        }
    }
}
