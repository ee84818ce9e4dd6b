package io.livedesk.signaling.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisCallbackStoreTest extends CallbackStoreContract {
    private static final Duration RETENTION = Duration.ofDays(90);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected CallbackStore createStore() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return new RedisCallbackStore(connections, new RedisKeys("test"), new ObjectMapper(), RETENTION);
    }

    @Override
    protected void closeStore() {
        connections.close();
    }

    @Test
    void aClosedRequestExpiresAfterTheRetentionAndAnOpenOneNever() {
        CallbackRequest open = request(CHEN, T0);
        CallbackRequest r = request(LI, T0);
        store.create(open);
        store.create(r);
        RedisKeys keys = new RedisKeys("test");
        assertEquals(-1, connections.sync().ttl(keys.callback(open.id().value())), "open: kept until closed");
        store.close(r.id(), ZHANG, true, CallbackOutcome.REACHED, "", T0);
        long ttl = connections.sync().ttl(keys.callback(r.id().value()));
        assertTrue(ttl > RETENTION.toSeconds() - 60 && ttl <= RETENTION.toSeconds(), "ttl " + ttl);
    }
}
