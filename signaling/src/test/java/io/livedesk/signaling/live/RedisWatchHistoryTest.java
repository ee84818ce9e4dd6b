package io.livedesk.signaling.live;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

class RedisWatchHistoryTest extends WatchHistoryContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected WatchHistory createStore() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return new RedisWatchHistory(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeStore() {
        connections.close();
    }
}
