package io.livedesk.signaling.presence;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

class RedisSupervisorIndexTest extends SupervisorIndexContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected SupervisorIndex createIndex() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return new RedisSupervisorIndex(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeIndex() {
        connections.close();
    }
}
