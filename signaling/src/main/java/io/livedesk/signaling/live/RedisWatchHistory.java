package io.livedesk.signaling.live;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Who watched what, in Redis: per viewer a sorted set of broadcast ids by when they last started watching
 * ({@link RedisKeys#watched}), trimmed to the newest {@link #LIMIT} in the script that adds to it.
 */
public final class RedisWatchHistory implements WatchHistory {
    private final RedisClusterCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;
    private final LuaScript add = LuaScript.load("watched_add");

    public RedisWatchHistory(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.async = connections.async();
        this.keys = keys;
        add.preload(redis);
    }

    @Override
    public CompletionStage<Void> watched(Subject viewer, BroadcastId broadcastId, long atMs) {
        return add.<Long>runAsync(async, keys, ScriptOutputType.INTEGER, keys.watched(viewer), viewer.value(),
                broadcastId.value(), Long.toString(atMs), Integer.toString(LIMIT)).thenApply(n -> null);
    }

    @Override
    public List<Watched> recent(Subject viewer, int limit) {
        List<Watched> out = new ArrayList<>();
        for (ScoredValue<String> v : redis.zrevrangeWithScores(keys.watched(viewer), 0, Math.min(limit, LIMIT) - 1)) {
            BroadcastId.parse(v.getValue()).ifPresent(b -> out.add(new Watched(b, (long) v.getScore())));
        }
        return out;
    }
}
