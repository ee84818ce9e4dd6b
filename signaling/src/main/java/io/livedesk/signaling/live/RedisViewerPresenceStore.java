package io.livedesk.signaling.live;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.redis.LuaScript;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Viewer presence in Redis, shared by every node, so that all of them report the same count and list. Per
 * broadcast:
 * <ul>
 *   <li>a sorted set of present viewers scored by last heartbeat ({@link RedisKeys#viewersSeen}): a fresh
 *   count is one ZCOUNT from now minus the time to live, right even before the sweep expires the stale
 *   ones, and expiry is a ZRANGEBYSCORE of the oldest;</li>
 *   <li>a sorted set of the same viewers scored by join time ({@link RedisKeys#viewersJoined}): the paged
 *   list's order, and the join time itself (so it needs no hash of its own);</li>
 *   <li>a hash of display names ({@link RedisKeys#viewerNames});</li>
 *   <li>a set of every subject that ever joined ({@link RedisKeys#viewersEver}). A set, not a HyperLogLog:
 *   a HyperLogLog would hold any audience in 12 kB but miscount by about 0.8%, and a bank reports its
 *   audience exactly. A set costs roughly 100 bytes a viewer (10 MB for 100 000) and lives only as long
 *   as the broadcast's presence ({@link #remove});</li>
 *   <li>a set of banned subjects ({@link RedisKeys#viewerBans}) and the watch time counter
 *   ({@link RedisKeys#viewerWatchMs}).</li>
 * </ul>
 * Every change that touches more than one key is one Lua script ({@code viewers_*.lua}, with the shared
 * {@code viewers_common.lua}); reads of one key are plain commands.
 */
public final class RedisViewerPresenceStore implements ViewerPresenceStore {

    /**
     * The most stale viewers (missed heartbeat, not yet expired) a page steps over exactly; the sweep keeps
     * far fewer. Bounds the page script's work; see {@code viewers_page.lua}.
     */
    static final int PAGE_STALE_LIMIT = 1_000;

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final LuaScript join = LuaScript.load("viewers_join", "viewers_common");
    private final LuaScript heartbeat = LuaScript.load("viewers_heartbeat", "viewers_common");
    private final LuaScript heartbeatAll = LuaScript.load("viewers_heartbeat_all", "viewers_common");
    private final LuaScript leave = LuaScript.load("viewers_leave", "viewers_common");
    private final LuaScript ban = LuaScript.load("viewers_ban", "viewers_common");
    private final LuaScript expire = LuaScript.load("viewers_expire", "viewers_common");
    private final LuaScript page = LuaScript.load("viewers_page", "viewers_common");

    public RedisViewerPresenceStore(RedisConnections connections, RedisKeys keys) {
        this.redis = connections.sync();
        this.keys = keys;
        for (LuaScript s : List.of(join, heartbeat, heartbeatAll, leave, ban, expire, page)) {
            s.preload(redis);
        }
    }

    @Override
    public JoinOutcome join(BroadcastId broadcastId, Subject viewer, String displayName, long nowMs) {
        String name = ViewerLimits.displayName(displayName);
        Long reply = run(join, ScriptOutputType.INTEGER, broadcastId, viewer, name == null ? "" : name,
                Long.toString(nowMs));
        return switch (reply.intValue()) { // as viewers_join.lua numbers them
            case 0 -> JoinOutcome.BANNED;
            case 1 -> JoinOutcome.JOINED;
            case 2 -> JoinOutcome.REFRESHED;
            default -> throw new IllegalStateException("viewers_join answered " + reply);
        };
    }

    @Override
    public boolean heartbeat(BroadcastId broadcastId, Subject viewer, long nowMs) {
        return run(heartbeat, ScriptOutputType.INTEGER, broadcastId, viewer, Long.toString(nowMs)).equals(1L);
    }

    /**
     * One script call per batch of at most {@link ViewerLimits#MAX_EXPIRE_BATCH} viewers: a node refreshes
     * its whole audience in a few round trips, and no single script holds Redis for long.
     */
    @Override
    public List<Subject> heartbeatAll(BroadcastId broadcastId, Collection<Subject> viewers, long nowMs) {
        BroadcastId b = ViewerLimits.broadcastId(broadcastId);
        List<String> subjects = viewers.stream().map(v -> Objects.requireNonNull(v, "viewer").value()).toList();
        List<Subject> absent = new ArrayList<>();
        for (int from = 0; from < subjects.size(); from += ViewerLimits.MAX_EXPIRE_BATCH) {
            List<String> args = new ArrayList<>(List.of(b.value(), Long.toString(nowMs)));
            args.addAll(subjects.subList(from, Math.min(subjects.size(), from + ViewerLimits.MAX_EXPIRE_BATCH)));
            List<Object> missing = heartbeatAll.run(redis, keys.broadcastTag(b), ScriptOutputType.MULTI, keys.viewersSeen(b),
                    args.toArray(String[]::new));
            missing.forEach(v -> absent.add(Subject.of((String) v)));
        }
        return absent;
    }

    @Override
    public boolean leave(BroadcastId broadcastId, Subject viewer, long nowMs) {
        return run(leave, ScriptOutputType.INTEGER, broadcastId, viewer, Long.toString(nowMs)).equals(1L);
    }

    @Override
    public List<ViewerPresence> expire(BroadcastId broadcastId, long olderThanMs, int max) {
        int batch = ViewerLimits.expireBatch(max);
        if (batch == 0) {
            return List.of();
        }
        BroadcastId b = ViewerLimits.broadcastId(broadcastId);
        return viewers(expire.run(redis, keys.broadcastTag(b), ScriptOutputType.MULTI, keys.viewersSeen(b), b.value(),
                Long.toString(olderThanMs), Integer.toString(batch)));
    }

    @Override
    public long count(BroadcastId broadcastId, long nowMs, long ttlMs) {
        long freshFrom = nowMs - ViewerLimits.ttl(ttlMs);
        return redis.zcount(keys.viewersSeen(ViewerLimits.broadcastId(broadcastId)),
                Range.from(Range.Boundary.including(freshFrom), Range.Boundary.unbounded()));
    }

    @Override
    public List<ViewerPresence> page(BroadcastId broadcastId, int offset, int limit, long nowMs, long ttlMs) {
        int size = ViewerLimits.pageSize(offset, limit);
        long freshFrom = nowMs - ViewerLimits.ttl(ttlMs);
        if (size == 0) {
            return List.of();
        }
        BroadcastId b = ViewerLimits.broadcastId(broadcastId);
        return viewers(page.run(redis, keys.broadcastTag(b), ScriptOutputType.MULTI, keys.viewersSeen(b), b.value(),
                Integer.toString(offset), Integer.toString(size), Long.toString(freshFrom),
                Integer.toString(PAGE_STALE_LIMIT)));
    }

    @Override
    public long uniqueViewers(BroadcastId broadcastId) {
        return redis.scard(keys.viewersEver(ViewerLimits.broadcastId(broadcastId)));
    }

    @Override
    public long watchTimeMs(BroadcastId broadcastId) {
        String ms = redis.get(keys.viewerWatchMs(ViewerLimits.broadcastId(broadcastId)));
        return ms == null ? 0 : Long.parseLong(ms);
    }

    @Override
    public boolean ban(BroadcastId broadcastId, Subject viewer, long nowMs) {
        return run(ban, ScriptOutputType.INTEGER, broadcastId, viewer, Long.toString(nowMs)).equals(1L);
    }

    @Override
    public boolean isBanned(BroadcastId broadcastId, Subject viewer) {
        return redis.sismember(keys.viewerBans(ViewerLimits.broadcastId(broadcastId)),
                Objects.requireNonNull(viewer, "viewer").value());
    }

    @Override
    public void remove(BroadcastId broadcastId) {
        BroadcastId b = ViewerLimits.broadcastId(broadcastId);
        // One DEL of every key: atomic without a script.
        redis.del(keys.viewersSeen(b), keys.viewersJoined(b), keys.viewerNames(b), keys.viewersEver(b),
                keys.viewerBans(b), keys.viewerWatchMs(b));
    }

    /** Runs a script about one viewer: ARGV = tag, broadcast, viewer, then {@code args}. */
    private <T> T run(LuaScript script, ScriptOutputType output, BroadcastId broadcastId, Subject viewer, String... args) {
        BroadcastId b = ViewerLimits.broadcastId(broadcastId);
        String[] argv = new String[args.length + 2];
        argv[0] = b.value();
        argv[1] = Objects.requireNonNull(viewer, "viewer").value();
        System.arraycopy(args, 0, argv, 2, args.length);
        return script.run(redis, keys.broadcastTag(b), output, keys.viewersSeen(b), argv);
    }

    /** Reads flat {viewer, name ('' for none), joinedAt, lastSeen, ...}. */
    private static List<ViewerPresence> viewers(List<Object> flat) {
        List<ViewerPresence> out = new ArrayList<>(flat.size() / 4);
        for (int i = 0; i + 3 < flat.size(); i += 4) {
            String name = (String) flat.get(i + 1);
            out.add(new ViewerPresence(Subject.of((String) flat.get(i)), name.isEmpty() ? null : name,
                    millis(flat.get(i + 2)), millis(flat.get(i + 3))));
        }
        return out;
    }

    /** A score as Redis writes it (e.g. {@code 1700000000000}, or in exponent form for huge ones). */
    private static long millis(Object score) {
        return (long) Double.parseDouble((String) score);
    }
}
