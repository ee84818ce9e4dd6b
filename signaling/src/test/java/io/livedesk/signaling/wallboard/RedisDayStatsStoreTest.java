package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisDayStatsStoreTest extends DayStatsStoreContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final RedisKeys keys = new RedisKeys("test");
    private final List<RedisConnections> connections = new ArrayList<>();

    @Override
    protected DayStatsStore createStore() {
        redis.flushAll();
        return otherNode();
    }

    /** A store on its own Redis connection, as a second signaling node has. */
    @Override
    protected DayStatsStore otherNode() {
        RedisConnections c = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        connections.add(c);
        return new RedisDayStatsStore(c, keys, Duration.ofDays(8));
    }

    @Override
    protected void closeStore() {
        connections.forEach(RedisConnections::close);
        connections.clear();
    }

    @Test
    void aDaysCountersExpireAfterTheRetention() {
        Stages.await(otherNode().add(DAY, Map.of(ANSWERED, 1L)));
        long ttl = connections.get(0).sync().ttl(keys.dayStats(DAY));
        assertTrue(ttl > Duration.ofDays(8).toSeconds() - 60 && ttl <= Duration.ofDays(8).toSeconds(), "ttl " + ttl);
    }
}
