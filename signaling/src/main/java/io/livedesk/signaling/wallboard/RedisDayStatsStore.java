package io.livedesk.signaling.wallboard;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The day's counters in Redis: one hash per day ({@link RedisKeys#dayStats}), each counter a field raised with
 * HINCRBY, the hash expiring {@code retention} after its last change. An event's increments are one script run
 * on Lettuce's asynchronous API, so counting never holds a worker.
 */
public final class RedisDayStatsStore implements DayStatsStore {
    private final RedisClusterCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;
    private final long retentionSeconds;
    private final LuaScript add = LuaScript.load("daystats_add");

    public RedisDayStatsStore(RedisConnections connections, RedisKeys keys, Duration retention) {
        this.redis = connections.sync();
        this.async = connections.async();
        this.keys = keys;
        this.retentionSeconds = Math.max(1, retention.toSeconds());
        add.preload(redis);
    }

    @Override
    public CompletionStage<Void> add(LocalDate day, Map<DayCounter, Long> increments) {
        String[] args = new String[2 + 2 * increments.size()];
        args[0] = day.toString();
        args[1] = Long.toString(retentionSeconds);
        int i = 2;
        for (Map.Entry<DayCounter, Long> e : increments.entrySet()) {
            args[i++] = e.getKey().key();
            args[i++] = Long.toString(e.getValue());
        }
        return add.<Long>runAsync(async, keys, ScriptOutputType.INTEGER, keys.dayStats(day), args).thenApply(n -> null);
    }

    @Override
    public Map<DayCounter, Long> read(LocalDate day) {
        Map<DayCounter, Long> out = new HashMap<>();
        redis.hgetall(keys.dayStats(day)).forEach((field, value) ->
                DayCounter.parse(field).ifPresent(c -> out.put(c, Long.parseLong(value))));
        return out;
    }
}
