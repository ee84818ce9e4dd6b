package io.livedesk.signaling.routing;

import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

class RedisRoutingStoreTest extends RoutingStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected Stores createStores() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        RedisKeys keys = new RedisKeys("test");
        return new Stores(new RedisPresenceStore(connections, keys), new RedisRoutingStore(connections, keys));
    }

    @Override
    protected void closeStores() {
        connections.close();
    }
}
