package io.livedesk.signaling.presence;

import io.lettuce.core.api.sync.RedisCommands;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.Set;

/** The supervisor index shared by every node: a Redis set ({@link RedisKeys#supervisors()}). */
public final class RedisSupervisorIndex implements SupervisorIndex {
    private final RedisCommands<String, String> redis;
    private final RedisKeys keys;

    public RedisSupervisorIndex(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
    }

    @Override
    public void add(String supervisorId) {
        redis.sadd(keys.supervisors(), supervisorId);
    }

    @Override
    public void remove(String supervisorId) {
        redis.srem(keys.supervisors(), supervisorId);
    }

    @Override
    public Set<String> all() {
        return Set.copyOf(redis.smembers(keys.supervisors()));
    }
}
