package io.livedesk.signaling.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The callback store contract on a real 3-master Redis Cluster: every script's keys in one slot. */
class ClusterCallbackStoreTest extends CallbackStoreContract {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.shared();

    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected CallbackStore createStore() {
        cluster.flushAll();
        RedisConnections c = new RedisConnections(cluster.url(), Duration.ofSeconds(5));
        connections.add(c);
        return new RedisCallbackStore(c, new RedisKeys("test"), new ObjectMapper(), Duration.ofDays(90));
    }

    @Override
    protected void closeStore() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }
}
