package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The day-stats store contract on a real 3-master Redis Cluster (shared by the cluster store tests). */
class ClusterDayStatsStoreTest extends DayStatsStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected DayStatsStore createStore() {
        cluster.flushAll();
        return otherNode();
    }

    @Override
    protected DayStatsStore otherNode() {
        RedisConnections c = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        connections.add(c);
        return new RedisDayStatsStore(c, new RedisKeys("test"), Duration.ofDays(8));
    }

    @Override
    protected void closeStore() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }
}
