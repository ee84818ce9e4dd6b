package io.livedesk.signaling.cluster;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The session store contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterSessionStoreTest extends SessionStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected SessionStore createStore() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new RedisSessionStore(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeStore() {
        if (connections != null) {
            connections.close();
        }
    }
}
