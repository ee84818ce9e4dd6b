package io.livedesk.signaling.cluster;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Node heartbeats in Redis: one sorted set of node ids scored by their last heartbeat. */
public final class RedisNodeRegistry implements NodeRegistry {

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final LuaScript claimDead = LuaScript.load("node_claim_dead");
    private final LuaScript heartbeat = LuaScript.load("node_heartbeat");

    public RedisNodeRegistry(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
        claimDead.preload(redis);
        heartbeat.preload(redis);
    }

    @Override
    public String heartbeat(String nodeId, long nowMs) {
        return heartbeat.run(redis, keys, ScriptOutputType.VALUE, keys.epoch(), nodeId, Long.toString(nowMs),
                UUID.randomUUID().toString());
    }

    @Override
    public Optional<String> epoch() {
        return Optional.ofNullable(redis.get(keys.epoch()));
    }

    @Override
    public List<String> liveNodes(long nowMs, long ttlMs) {
        return redis.zrangebyscore(keys.nodes(),
                Range.from(Range.Boundary.excluding((double) (nowMs - ttlMs)), Range.Boundary.unbounded()));
    }

    @Override
    public List<String> claimDead(long nowMs, long ttlMs) {
        return claimDead.run(redis, keys, ScriptOutputType.MULTI, keys.nodes(), Long.toString(nowMs - ttlMs));
    }

    @Override
    public void deregister(String nodeId) {
        redis.zrem(keys.nodes(), nodeId);
    }
}
