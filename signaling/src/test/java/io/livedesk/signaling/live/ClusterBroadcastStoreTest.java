package io.livedesk.signaling.live;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The broadcast store contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterBroadcastStoreTest extends BroadcastStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected BroadcastStore createStore() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new RedisBroadcastStore(connections, new RedisKeys("test"), new MessageCodec().mapper());
    }

    @Override
    protected void closeStore() {
        if (connections != null) {
            connections.close();
        }
    }
}
