package io.livedesk.signaling.live;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The viewer presence contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterViewerPresenceStoreTest extends ViewerPresenceStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected ViewerPresenceStore createStore() {
        cluster.flushAll();
        RedisConnections c = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        connections.add(c);
        return new RedisViewerPresenceStore(c, new RedisKeys("test"));
    }

    @Override
    protected void closeStore() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }
}
