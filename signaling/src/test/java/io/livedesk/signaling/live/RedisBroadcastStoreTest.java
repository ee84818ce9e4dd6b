package io.livedesk.signaling.live;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

class RedisBroadcastStoreTest extends BroadcastStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected BroadcastStore createStore() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        // The node's own mapper, as the server wires it, so the stored format is tested as used.
        return new RedisBroadcastStore(connections, new RedisKeys("test"), new MessageCodec().mapper());
    }

    @Override
    protected void closeStore() {
        connections.close();
    }
}
