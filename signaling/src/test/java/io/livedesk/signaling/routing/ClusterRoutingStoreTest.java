package io.livedesk.signaling.routing;

import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The routing and presence contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterRoutingStoreTest extends RoutingStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected Stores createStores() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new Stores(new RedisPresenceStore(connections, new RedisKeys("test")),
                new RedisRoutingStore(connections, new RedisKeys("test")));
    }

    @Override
    protected void closeStores() {
        if (connections != null) {
            connections.close();
        }
    }
}
