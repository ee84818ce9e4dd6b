package io.livedesk.signaling.transcript;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The transcript store contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterTranscriptStoreTest extends TranscriptStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private RedisConnections connections;

    @Override
    protected TranscriptStore createStore(TranscriptLimits limits) {
        cluster.flushAll();
        connections = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        return new RedisTranscriptStore(connections, new RedisKeys("test"), limits);
    }

    @Override
    protected void closeStore() {
        if (connections != null) {
            connections.close();
        }
    }
}
