package io.livedesk.signaling.cluster;

import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster bus contract over sharded pub/sub on a real 3-master Redis Cluster. */
class ClusterClusterBusTest extends RedisBusContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    @Override
    protected String redisUrl() {
        return cluster.url();
    }
}
