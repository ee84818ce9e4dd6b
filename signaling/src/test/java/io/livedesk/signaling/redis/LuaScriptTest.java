package io.livedesk.signaling.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class LuaScriptTest {

    /**
     * Seen in ClusterTwoNodeIT's master failover: an accept's asynchronous script failed with Netty's bare
     * "Connection reset by peer", which the message handler took for an internal error instead of a store that
     * did not answer.
     */
    @Test
    void anAsynchronousRunFailsWithARedisExceptionAsTheSynchronousOneDoes() {
        IOException reset = new IOException("recvAddress(..) failed with error(-104): Connection reset by peer");
        Throwable reported = LuaScript.asRedisFailure(reset);
        assertInstanceOf(RedisException.class, reported);
        assertSame(reset, reported.getCause());
        RedisException timeout = new RedisCommandTimeoutException("timed out");
        assertSame(timeout, LuaScript.asRedisFailure(timeout), "a Redis failure stays as it is");
    }
}
