package io.livedesk.signaling.cluster;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

class RedisNodeRegistryTest extends NodeRegistryContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected NodeRegistry createRegistry() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return new RedisNodeRegistry(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeRegistry() {
        connections.close();
    }
}
