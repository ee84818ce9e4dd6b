package io.livedesk.signaling.routing;

import io.livedesk.signaling.call.RedisCallStore;
import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** The steps as one Lua script each, on a real Redis. */
class RedisRoutingStepsTest extends RoutingStepsContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected Stores createStores() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return redisStores(connections);
    }

    static Stores redisStores(RedisConnections connections) {
        RedisKeys keys = new RedisKeys("test");
        RedisPresenceStore presence = new RedisPresenceStore(connections, keys);
        RedisRoutingStore routing = new RedisRoutingStore(connections, keys);
        RedisCallStore calls = new RedisCallStore(connections, keys, new MessageCodec().mapper());
        return new Stores(presence, routing, calls, new RedisRoutingSteps(connections, keys, routing, calls, presence));
    }

    @Override
    protected void closeStores() {
        connections.close();
    }
}
