package io.livedesk.signaling.presence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.livedesk.signaling.redis.RedisHashes.field;
import static io.livedesk.signaling.redis.RedisHashes.toMap;

/**
 * Presence in Redis, shared by every node. Each member is a hash ({@link RedisKeys#staff}); every change
 * of status, connection or profile is a Lua script that also keeps the availability sets that
 * {@link io.livedesk.signaling.routing.RedisRoutingStore} matches from.
 */
public final class RedisPresenceStore implements PresenceStore {

    private static final TypeReference<Set<String>> STRING_SET = new TypeReference<>() {
    };

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final ObjectMapper json = new ObjectMapper();
    private final LuaScript connect = LuaScript.load("presence_connect");
    private final LuaScript disconnect = LuaScript.load("presence_disconnect");
    private final LuaScript setStatus = LuaScript.load("presence_set_status");
    private final LuaScript touch = LuaScript.load("presence_touch");
    private final LuaScript remove = LuaScript.load("presence_remove");
    private final LuaScript list = LuaScript.load("presence_list");

    public RedisPresenceStore(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
        for (LuaScript s : List.of(connect, disconnect, setStatus, touch, remove, list)) {
            s.preload(redis);
        }
    }

    @Override
    public StaffPresence connect(StaffProfile profile, long nowMs) {
        List<Object> hash = connect.run(redis, keys, ScriptOutputType.MULTI, keys.staff(profile.id()),
                profile.id().value(), profile.name(), toJson(profile.skills()), toJson(profile.languages()),
                Integer.toString(profile.capacity()), Long.toString(nowMs));
        return parse(profile.id(), toMap(hash));
    }

    @Override
    public Optional<StaffPresence> disconnect(Subject staffId, long nowMs) {
        List<Object> hash = disconnect.run(redis, keys, ScriptOutputType.MULTI, keys.staff(staffId),
                staffId.value(), Long.toString(nowMs));
        return hash.isEmpty() ? Optional.empty() : Optional.of(parse(staffId, toMap(hash)));
    }

    @Override
    public Optional<StaffPresence> setStatus(Subject staffId, StaffStatus status, long nowMs) {
        if (status == StaffStatus.BUSY) {
            throw new IllegalArgumentException("BUSY is derived from load, it cannot be chosen");
        }
        List<Object> hash = setStatus.run(redis, keys, ScriptOutputType.MULTI, keys.staff(staffId),
                staffId.value(), status.name(), Long.toString(nowMs));
        return hash.isEmpty() ? Optional.empty() : Optional.of(parse(staffId, toMap(hash)));
    }

    @Override
    public void touch(Subject staffId, long nowMs) {
        touch.run(redis, keys, ScriptOutputType.INTEGER, keys.staff(staffId), staffId.value(), Long.toString(nowMs));
    }

    @Override
    public Optional<StaffPresence> get(Subject staffId) {
        Map<String, String> hash = redis.hgetall(keys.staff(staffId));
        return hash == null || hash.isEmpty() ? Optional.empty() : Optional.of(parse(staffId, hash));
    }

    @Override
    public List<StaffPresence> list() {
        List<Object> all = list.run(redis, keys, ScriptOutputType.MULTI, keys.staffIds());
        List<StaffPresence> out = new ArrayList<>(all.size());
        for (Object flat : all) {
            Map<String, String> hash = toMap((List<?>) flat);
            out.add(parse(Subject.of(field(hash, "id")), hash));
        }
        return out;
    }

    @Override
    public void remove(Subject staffId) {
        remove.run(redis, keys, ScriptOutputType.INTEGER, keys.staff(staffId), staffId.value());
    }

    /** A member from their hash as stored (what the routing scripts answer with, too). */
    public StaffPresence parse(Subject staffId, Map<String, String> h) {
        StaffProfile profile = new StaffProfile(staffId, h.get("name"), fromJson(field(h, "skills")),
                fromJson(field(h, "languages")), Integer.parseInt(field(h, "capacity")));
        return new StaffPresence(profile, StaffStatus.valueOf(field(h, "status")), Integer.parseInt(field(h, "load")),
                "1".equals(h.get("connected")), Long.parseLong(field(h, "idleSince")),
                Long.parseLong(field(h, "lastActivity")));
    }

    private String toJson(Set<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<String> fromJson(String text) {
        try {
            return json.readValue(text, STRING_SET);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad skills or languages stored: " + text, e);
        }
    }
}
