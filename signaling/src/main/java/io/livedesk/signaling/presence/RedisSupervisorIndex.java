package io.livedesk.signaling.presence;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.Set;
import java.util.stream.Collectors;

/** The supervisor index shared by every node: a Redis set ({@link RedisKeys#supervisors()}). */
public final class RedisSupervisorIndex implements SupervisorIndex {
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    public RedisSupervisorIndex(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
    }

    @Override
    public void add(Subject supervisorId) {
        redis.sadd(keys.supervisors(), supervisorId.value());
    }

    @Override
    public void remove(Subject supervisorId) {
        redis.srem(keys.supervisors(), supervisorId.value());
    }

    @Override
    public Set<Subject> all() {
        return redis.smembers(keys.supervisors()).stream().map(Subject::of).collect(Collectors.toUnmodifiableSet());
    }
}
