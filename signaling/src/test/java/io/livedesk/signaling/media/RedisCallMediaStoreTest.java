package io.livedesk.signaling.media;

import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisCallMediaStoreTest extends CallMediaStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected CallMediaStore createStore() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        // The node's own mapper, as the server wires it, so the stored format is tested as used.
        return new RedisCallMediaStore(connections, new RedisKeys("test"), new MessageCodec().mapper());
    }

    @Override
    protected void closeStore() {
        connections.close();
    }

    @Test
    void everyWriteSetsTheExpiry() {
        store().compareAndSet(0, state("node-a", 1));
        long ttl = connections.sync().ttl(new RedisKeys("test").callMedia(CALL));
        assertTrue(ttl > CallMediaStore.TTL.toSeconds() - 60 && ttl <= CallMediaStore.TTL.toSeconds(), "ttl " + ttl);
    }
}
