package io.livedesk.signaling.cluster;

import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The two-node tests on one real Redis. */
class TwoNodeIT extends TwoNodeContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    @Override
    protected String redisUrl() {
        return redis.url();
    }

    @Override
    protected void flushRedis() {
        redis.flushAll();
    }
}
