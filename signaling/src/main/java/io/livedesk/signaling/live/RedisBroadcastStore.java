package io.livedesk.signaling.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisHashes;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Broadcast records in Redis: per broadcast a hash ({@link RedisKeys#broadcast}) with the state, revision,
 * scheduled time, the record as JSON (its counters zeroed) and one field per counter, so that counters are
 * changed in place (HINCRBY, or raised to a maximum) while state changes replace the JSON by compare-and-set.
 * One sorted set per state ({@link RedisKeys#broadcasts}), scored by scheduled time, lists them. Create,
 * compare-and-set and the counter updates are Lua scripts, as each reads before it writes.
 */
public final class RedisBroadcastStore implements BroadcastStore {

    private static final String PEAK = "peakViewers";
    private static final String UNIQUE = "uniqueViewers";
    private static final String WATCH = "watchTimeMs";
    private static final String CHAT = "chatMessages";
    private static final String LIKES = "likes";
    private static final String REQUESTED = "consultationsRequested";
    private static final String ANSWERED = "consultationsAnswered";

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    private final LuaScript create = LuaScript.load("broadcast_create");
    private final LuaScript compareAndSet = LuaScript.load("broadcast_compare_and_set");
    private final LuaScript addCounts = LuaScript.load("broadcast_add_counts");
    private final LuaScript raise = LuaScript.load("broadcast_raise");
    private final LuaScript list = LuaScript.load("broadcast_list");

    /** @param json writes and reads the stored records (shared with the rest of the node) */
    public RedisBroadcastStore(RedisConnections connections, RedisKeys keys, ObjectMapper json) {
        this.redis = connections.sync();
        this.keys = keys;
        this.json = json;
        for (LuaScript s : List.of(create, compareAndSet, addCounts, raise, list)) {
            s.preload(redis);
        }
    }

    @Override
    public void create(Broadcast b) {
        List<String> args = new ArrayList<>(List.of(b.id().value(), b.state().name(), toJson(b),
                Long.toString(b.scheduledAtMs()), Integer.toString(b.revision()), keys.broadcasts(b.state()),
                PEAK, Integer.toString(b.peakViewers()), UNIQUE, Long.toString(b.uniqueViewers())));
        args.addAll(countPairs(b.counts()));
        Long created = create.run(redis, keys, ScriptOutputType.INTEGER, keys.broadcast(b.id()),
                args.toArray(String[]::new));
        if (created != 1L) {
            throw new IllegalStateException("broadcast exists: " + b.id());
        }
    }

    @Override
    public Optional<Broadcast> get(BroadcastId id) {
        Map<String, String> hash = redis.hgetall(keys.broadcast(id));
        return hash.isEmpty() ? Optional.empty() : Optional.of(fromHash(hash));
    }

    @Override
    public boolean compareAndSet(Broadcast expected, Broadcast updated) {
        BroadcastId id = expected.id();
        if (!id.equals(updated.id())) {
            throw new IllegalArgumentException("record is for broadcast " + updated.id() + ", not " + id);
        }
        Long done = compareAndSet.run(redis, keys, ScriptOutputType.INTEGER, keys.broadcast(id), id.value(),
                expected.state().name(), Integer.toString(expected.revision()), updated.state().name(),
                toJson(updated), Long.toString(updated.scheduledAtMs()), Integer.toString(updated.revision()),
                keys.broadcasts(expected.state()), keys.broadcasts(updated.state()));
        return done == 1L;
    }

    @Override
    public List<Broadcast> list(Set<BroadcastState> states, int limit) {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(limit));
        for (BroadcastState s : states) {
            args.add(keys.broadcasts(s));
        }
        // The script's one declared key only routes it; any key of the tag will do.
        List<Object> hashes = list.run(redis, keys, ScriptOutputType.MULTI, keys.broadcasts(BroadcastState.LIVE),
                args.toArray(String[]::new));
        List<Broadcast> out = new ArrayList<>(hashes.size());
        for (Object flat : hashes) {
            out.add(fromHash(RedisHashes.toMap((List<?>) flat)));
        }
        return out;
    }

    @Override
    public boolean addCounts(BroadcastId id, BroadcastCounts delta) {
        Long done = addCounts.run(redis, keys, ScriptOutputType.INTEGER, keys.broadcast(id),
                countPairs(delta).toArray(String[]::new));
        return done == 1L;
    }

    @Override
    public boolean notePeak(BroadcastId id, int viewers) {
        return raise(id, PEAK, viewers);
    }

    @Override
    public boolean noteUnique(BroadcastId id, long unique) {
        return raise(id, UNIQUE, unique);
    }

    private boolean raise(BroadcastId id, String field, long value) {
        Long done = raise.run(redis, keys, ScriptOutputType.INTEGER, keys.broadcast(id), field, Long.toString(value));
        return done == 1L;
    }

    /** The additive counters as hash field/value pairs, in the order the scripts take them. */
    private static List<String> countPairs(BroadcastCounts c) {
        return List.of(WATCH, Long.toString(c.watchTimeMs()), CHAT, Long.toString(c.chatMessages()),
                LIKES, Long.toString(c.likes()), REQUESTED, Long.toString(c.consultationsRequested()),
                ANSWERED, Long.toString(c.consultationsAnswered()));
    }

    private Broadcast fromHash(Map<String, String> hash) {
        Broadcast stored;
        try {
            stored = json.readValue(RedisHashes.field(hash, "json"), Broadcast.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad broadcast record stored", e);
        }
        return stored.withCounters(Integer.parseInt(RedisHashes.field(hash, PEAK)),
                Long.parseLong(RedisHashes.field(hash, UNIQUE)),
                new BroadcastCounts(number(hash, WATCH), number(hash, CHAT), number(hash, LIKES),
                        number(hash, REQUESTED), number(hash, ANSWERED)));
    }

    private static long number(Map<String, String> hash, String field) {
        return Long.parseLong(RedisHashes.field(hash, field));
    }

    /** The record without its counters: the hash's own fields hold them, and only those are current. */
    private String toJson(Broadcast b) {
        try {
            return json.writeValueAsString(b.withCounters(0, 0, BroadcastCounts.NONE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
