package io.livedesk.signaling.routing;

import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisSentinelExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The routing and presence contract through a real Sentinel (a {@code redis-sentinel://} URL). */
class SentinelRoutingStoreTest extends RoutingStoreContract {

    @RegisterExtension
    static final RedisSentinelExtension sentinel = new RedisSentinelExtension();

    private RedisConnections connections;

    @Override
    protected Stores createStores() {
        sentinel.flushAll();
        connections = new RedisConnections(sentinel.url(), Duration.ofSeconds(5));
        RedisKeys keys = new RedisKeys("test");
        return new Stores(new RedisPresenceStore(connections, keys), new RedisRoutingStore(connections, keys));
    }

    @Override
    protected void closeStores() {
        connections.close();
    }
}
