package io.livedesk.signaling.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.time.Duration;
import java.util.Optional;

/**
 * Calls' media state in Redis: per call a hash ({@link RedisKeys#callMedia}, under a hash tag of its own, so calls
 * spread over a cluster's masters) with the revision and the state as JSON. The compare-and-set is one script;
 * each write pushes the key's expiry back to the TTL.
 */
public final class RedisCallMediaStore implements CallMediaStore {
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    private final String ttlSeconds;
    private final LuaScript compareAndSet = LuaScript.load("callmedia_compare_and_set");

    public RedisCallMediaStore(RedisConnections connections, RedisKeys keys, ObjectMapper json) {
        this(connections, keys, json, TTL);
    }

    public RedisCallMediaStore(RedisConnections connections, RedisKeys keys, ObjectMapper json, Duration ttl) {
        this.redis = connections.sync();
        this.keys = keys;
        this.json = json;
        this.ttlSeconds = Long.toString(Math.max(1, ttl.toSeconds()));
        compareAndSet.preload(redis);
    }

    @Override
    public Optional<CallMediaState> get(CallId callId) {
        return Optional.ofNullable(redis.hget(keys.callMedia(callId), "json")).map(this::read);
    }

    @Override
    public boolean compareAndSet(long expectedRevision, CallMediaState next) {
        CallMediaStore.checkNext(expectedRevision, next);
        Long done = compareAndSet.run(redis, keys.callMediaTag(next.callId()), ScriptOutputType.INTEGER,
                keys.callMedia(next.callId()), Long.toString(expectedRevision), Long.toString(next.revision()),
                write(next), ttlSeconds);
        return done == 1L;
    }

    @Override
    public void remove(CallId callId) {
        redis.del(keys.callMedia(callId));
    }

    private String write(CallMediaState state) {
        try {
            return json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CallMediaState read(String text) {
        try {
            return json.readValue(text, CallMediaState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad call media state stored", e);
        }
    }
}
