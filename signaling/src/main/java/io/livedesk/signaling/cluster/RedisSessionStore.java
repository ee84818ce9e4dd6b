package io.livedesk.signaling.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions in Redis: a hash per bound subject ({@link RedisKeys#session}), a set of subjects per node,
 * and for disconnected subjects a sorted set by disconnect time plus their last location
 * ({@link RedisKeys#goneSession}). Changes are Lua scripts, so that a claim hands each subject to exactly
 * one node.
 */
public final class RedisSessionStore implements SessionStore {

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final LuaScript bind = LuaScript.load("session_bind");
    private final LuaScript unbind = LuaScript.load("session_unbind", "session_common");
    private final LuaScript claimExpired = LuaScript.load("session_claim_expired");
    private final LuaScript disconnectNode = LuaScript.load("session_disconnect_node", "session_common");
    private final LuaScript boundOn = LuaScript.load("session_bound_on");

    public RedisSessionStore(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
        for (LuaScript s : List.of(bind, unbind, claimExpired, disconnectNode, boundOn)) {
            s.preload(redis);
        }
    }

    @Override
    public Optional<SessionLocation> bind(SessionLocation l, long nowMs) {
        List<Object> old = bind.run(redis, keys, ScriptOutputType.MULTI, keys.session(l.subject()),
                l.subject().value(), l.role().name(), l.nodeId(), l.connectionId());
        if (old.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SessionLocation(l.subject(), Role.valueOf((String) old.get(0)), (String) old.get(1),
                (String) old.get(2)));
    }

    @Override
    public boolean unbind(SessionLocation l, long nowMs) {
        Long done = unbind.run(redis, keys, ScriptOutputType.INTEGER, keys.session(l.subject()),
                l.subject().value(), l.nodeId(), l.connectionId(), Long.toString(nowMs));
        return done == 1L;
    }

    @Override
    public Optional<SessionLocation> locate(Subject subject) {
        Map<String, String> h = redis.hgetall(keys.session(subject));
        if (h == null || h.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SessionLocation(subject, Role.valueOf(h.get("role")), h.get("node"), h.get("conn")));
    }

    @Override
    public List<SessionLocation> claimExpired(long disconnectedAtOrBeforeMs, int max) {
        if (max <= 0) {
            return List.of();
        }
        return locations(claimExpired.run(redis, keys, ScriptOutputType.MULTI, keys.disconnected(),
                Long.toString(disconnectedAtOrBeforeMs), Integer.toString(max)));
    }

    @Override
    public List<SessionLocation> disconnectNode(String nodeId, long nowMs) {
        return locations(disconnectNode.run(redis, keys, ScriptOutputType.MULTI, keys.nodeSessions(nodeId),
                nodeId, Long.toString(nowMs)));
    }

    @Override
    public List<SessionLocation> boundOn(String nodeId) {
        return locations(boundOn.run(redis, keys, ScriptOutputType.MULTI, keys.nodeSessions(nodeId), nodeId));
    }

    /** Reads flat {subject, role, node, conn, ...}. */
    private static List<SessionLocation> locations(List<Object> flat) {
        List<SessionLocation> out = new ArrayList<>(flat.size() / 4);
        for (int i = 0; i + 3 < flat.size(); i += 4) {
            out.add(new SessionLocation(Subject.of((String) flat.get(i)), Role.valueOf((String) flat.get(i + 1)),
                    (String) flat.get(i + 2), (String) flat.get(i + 3)));
        }
        return out;
    }
}
