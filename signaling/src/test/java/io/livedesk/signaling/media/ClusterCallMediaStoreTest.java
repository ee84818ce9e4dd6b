package io.livedesk.signaling.media;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The call media store contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterCallMediaStoreTest extends CallMediaStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected CallMediaStore createStore() {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new RedisCallMediaStore(connections, new RedisKeys("test"), new MessageCodec().mapper());
    }

    @Override
    protected void closeStore() {
        if (connections != null) {
            connections.close();
        }
    }
}
