package io.livedesk.signaling.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Call records in Redis: per call a hash with the state, revision, parties and the whole record as JSON.
 * Create and compare-and-set are Lua scripts that also keep the live-call index
 * ({@link RedisKeys#liveCall}), each person's history index (the newest {@link #HISTORY_LIMIT} calls they were a
 * party of) and the recent index ({@link RedisKeys#recentCalls}, the newest
 * {@link InMemoryCallStore#RECENT_LIMIT} calls by enqueue time, trimmed 100 at a time so that a create does
 * not trim on its own; an ended call that falls out is deleted).
 */
public final class RedisCallStore implements CallStore {

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json;
    private final LuaScript create = LuaScript.load("call_create", "call_common");
    private final LuaScript compareAndSet = LuaScript.load("call_compare_and_set", "call_common");
    private final LuaScript live = LuaScript.load("call_live");
    private final LuaScript recent = LuaScript.load("call_recent");

    public RedisCallStore(RedisConnections connections, RedisKeys keys) {
        this(connections, keys, new ObjectMapper());
    }

    /** @param json writes and reads the stored records (shared with the rest of the node) */
    public RedisCallStore(RedisConnections connections, RedisKeys keys, ObjectMapper json) {
        this.redis = connections.sync();
        this.keys = keys;
        this.json = json;
        for (LuaScript s : List.of(create, compareAndSet, live, recent)) {
            s.preload(redis);
        }
    }

    @Override
    public void create(CallRecord r) {
        Long created = create.run(redis, keys, ScriptOutputType.INTEGER, keys.call(r.callId()), createArgs(r));
        if (created != 1L) {
            throw new IllegalStateException("call exists: " + r.callId());
        }
    }

    @Override
    public Optional<CallRecord> get(CallId callId) {
        return Optional.ofNullable(redis.hget(keys.call(callId), "json")).map(this::fromJson);
    }

    @Override
    public boolean compareAndSet(CallRecord expected, CallRecord updated) {
        Long done = compareAndSet.run(redis, keys, ScriptOutputType.INTEGER, keys.call(expected.callId()),
                compareAndSetArgs(expected, updated));
        return done == 1L;
    }

    /** The arguments of create_call (call_common.lua) for a new record. */
    public String[] createArgs(CallRecord r) {
        return new String[]{r.callId().value(), r.state().name(), toJson(r), r.customerId().value(), orEmpty(r.staffId()),
                Long.toString(r.enqueuedAtMs()), flag(r.state().live()), Integer.toString(InMemoryCallStore.RECENT_LIMIT),
                Integer.toString(r.revision()), flag(r.asked().identified())};
    }

    /** The arguments of call_compare_and_set (call_common.lua). */
    public String[] compareAndSetArgs(CallRecord expected, CallRecord updated) {
        if (!expected.callId().equals(updated.callId())) {
            throw new IllegalArgumentException("record is for call " + updated.callId() + ", not " + expected.callId());
        }
        return new String[]{expected.callId().value(), expected.state().name(), flag(expected.state().live()),
                updated.state().name(), toJson(updated), updated.customerId().value(), orEmpty(updated.staffId()),
                flag(updated.state().live()), Integer.toString(expected.revision()), Integer.toString(updated.revision())};
    }

    /** The record as stored, as JSON. */
    public String json(CallRecord r) {
        return toJson(r);
    }

    @Override
    public Optional<CallRecord> liveCallOf(Subject subject) {
        String record = live.run(redis, keys, ScriptOutputType.VALUE, keys.liveCall(subject), subject.value(), "livecall");
        return Optional.ofNullable(record).map(this::fromJson);
    }

    @Override
    public Optional<CallRecord> lastCallOf(Subject subject) {
        String record = live.run(redis, keys, ScriptOutputType.VALUE, keys.lastCall(subject), subject.value(), "lastcall");
        return Optional.ofNullable(record).map(this::fromJson);
    }

    @Override
    public List<CallRecord> recent(int limit) {
        return walk(limit, "calls");
    }

    @Override
    public List<CallRecord> history(Subject subject, int limit) {
        return walk(Math.min(limit, HISTORY_LIMIT), "history:" + subject.value());
    }

    @Override
    public List<CallRecord> live(int limit) {
        return walk(limit, "live");
    }

    /** The records of an index (call_recent.lua), newest first; {@code index} is its key after the tag. */
    private List<CallRecord> walk(int limit, String index) {
        List<Object> records = recent.run(redis, keys, ScriptOutputType.MULTI, keys.recentCalls(),
                Integer.toString(limit), index);
        List<CallRecord> out = new ArrayList<>(records.size());
        for (Object r : records) {
            out.add(fromJson((String) r));
        }
        return out;
    }

    private static String orEmpty(Subject s) {
        return s == null ? "" : s.value();
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    private String toJson(CallRecord r) {
        try {
            return json.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CallRecord fromJson(String text) {
        try {
            return json.readValue(text, CallRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad call record stored", e);
        }
    }
}
