package io.livedesk.signaling.cluster;

import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster bus contract over classic pub/sub on one real Redis. */
class RedisClusterBusTest extends RedisBusContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Override
    protected String redisUrl() {
        return redis.url();
    }
}
