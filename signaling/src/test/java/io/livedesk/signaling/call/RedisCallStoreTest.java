package io.livedesk.signaling.call;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

class RedisCallStoreTest extends CallStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected CallStore createStore() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        // The node's own mapper, as the server wires it, so the stored format is tested as used.
        return new RedisCallStore(connections, new RedisKeys("test"), new MessageCodec().mapper());
    }

    @Override
    protected void closeStore() {
        connections.close();
    }
}
