package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Viewer presence kept in this JVM (one node), every operation under one lock. Count, page and expiry walk
 * the broadcast's present viewers: one node's audience is small enough, and the Redis store is the one
 * built for large audiences.
 */
public final class InMemoryViewerPresenceStore implements ViewerPresenceStore {

    /** The same order as Redis's sorted sets: by score (a time), then by subject. */
    private static final Comparator<ViewerPresence> BY_JOIN =
            Comparator.comparingLong(ViewerPresence::joinedAtMs).thenComparing(ViewerPresence::viewer);
    private static final Comparator<ViewerPresence> BY_LAST_SEEN =
            Comparator.comparingLong(ViewerPresence::lastSeenMs).thenComparing(ViewerPresence::viewer);

    /** One broadcast's state; guarded by the store's lock. */
    private static final class Audience {
        final Map<Subject, ViewerPresence> present = new HashMap<>();
        final Set<Subject> everJoined = new HashSet<>();
        final Set<Subject> banned = new HashSet<>();
        long watchTimeMs;

        /** Removes a present viewer, adding the time from their join until {@code untilMs}. */
        void drop(ViewerPresence v, long untilMs) {
            present.remove(v.viewer());
            watchTimeMs += Math.max(0, untilMs - v.joinedAtMs());
        }

        /** Seen at {@code nowMs} (never moved back); false if not present. */
        boolean heartbeat(Subject viewer, long nowMs) {
            ViewerPresence old = present.get(viewer);
            if (old != null) {
                present.put(viewer, new ViewerPresence(viewer, old.displayName(), old.joinedAtMs(),
                        Math.max(old.lastSeenMs(), nowMs)));
            }
            return old != null;
        }

        /** Drops the viewer at {@code nowMs}; false if not present. */
        boolean leave(Subject viewer, long nowMs) {
            ViewerPresence v = present.get(viewer);
            if (v != null) {
                drop(v, nowMs);
            }
            return v != null;
        }
    }

    private final Object lock = new Object();
    private final Map<BroadcastId, Audience> broadcasts = new HashMap<>();

    @Override
    public JoinOutcome join(BroadcastId broadcastId, Subject viewer, String displayName, long nowMs) {
        Objects.requireNonNull(viewer, "viewer");
        String name = ViewerLimits.displayName(displayName);
        synchronized (lock) {
            Audience a = broadcasts.computeIfAbsent(ViewerLimits.broadcastId(broadcastId), id -> new Audience());
            if (a.banned.contains(viewer)) {
                return JoinOutcome.BANNED;
            }
            a.everJoined.add(viewer);
            ViewerPresence old = a.present.get(viewer);
            a.present.put(viewer, old == null ? new ViewerPresence(viewer, name, nowMs, nowMs)
                    : new ViewerPresence(viewer, name, old.joinedAtMs(), Math.max(old.lastSeenMs(), nowMs)));
            return old == null ? JoinOutcome.JOINED : JoinOutcome.REFRESHED;
        }
    }

    @Override
    public boolean heartbeat(BroadcastId broadcastId, Subject viewer, long nowMs) {
        synchronized (lock) {
            Audience a = existing(broadcastId);
            return a != null && a.heartbeat(viewer, nowMs);
        }
    }

    @Override
    public boolean leave(BroadcastId broadcastId, Subject viewer, long nowMs) {
        synchronized (lock) {
            Audience a = existing(broadcastId);
            return a != null && a.leave(viewer, nowMs);
        }
    }

    @Override
    public List<ViewerPresence> expire(BroadcastId broadcastId, long olderThanMs, int max) {
        int batch = ViewerLimits.expireBatch(max);
        synchronized (lock) {
            Audience a = existing(broadcastId);
            if (a == null) {
                return List.of();
            }
            List<ViewerPresence> stale = a.present.values().stream()
                    .filter(v -> v.lastSeenMs() < olderThanMs)
                    .sorted(BY_LAST_SEEN)
                    .limit(batch)
                    .toList();
            stale.forEach(v -> a.drop(v, v.lastSeenMs()));
            return stale;
        }
    }

    @Override
    public long count(BroadcastId broadcastId, long nowMs, long ttlMs) {
        long freshFrom = nowMs - ViewerLimits.ttl(ttlMs);
        synchronized (lock) {
            Audience a = existing(broadcastId);
            return a == null ? 0 : a.present.values().stream().filter(v -> v.lastSeenMs() >= freshFrom).count();
        }
    }

    @Override
    public List<ViewerPresence> page(BroadcastId broadcastId, int offset, int limit, long nowMs, long ttlMs) {
        int size = ViewerLimits.pageSize(offset, limit);
        long freshFrom = nowMs - ViewerLimits.ttl(ttlMs);
        synchronized (lock) {
            Audience a = existing(broadcastId);
            if (a == null) {
                return List.of();
            }
            return a.present.values().stream()
                    .filter(v -> v.lastSeenMs() >= freshFrom)
                    .sorted(BY_JOIN)
                    .skip(offset)
                    .limit(size)
                    .toList();
        }
    }

    @Override
    public long uniqueViewers(BroadcastId broadcastId) {
        synchronized (lock) {
            Audience a = existing(broadcastId);
            return a == null ? 0 : a.everJoined.size();
        }
    }

    @Override
    public long watchTimeMs(BroadcastId broadcastId) {
        synchronized (lock) {
            Audience a = existing(broadcastId);
            return a == null ? 0 : a.watchTimeMs;
        }
    }

    @Override
    public boolean ban(BroadcastId broadcastId, Subject viewer, long nowMs) {
        Objects.requireNonNull(viewer, "viewer");
        synchronized (lock) {
            Audience a = broadcasts.computeIfAbsent(ViewerLimits.broadcastId(broadcastId), id -> new Audience());
            a.banned.add(viewer);
            return a.leave(viewer, nowMs);
        }
    }

    @Override
    public boolean isBanned(BroadcastId broadcastId, Subject viewer) {
        synchronized (lock) {
            Audience a = existing(broadcastId);
            return a != null && a.banned.contains(viewer);
        }
    }

    @Override
    public void remove(BroadcastId broadcastId) {
        synchronized (lock) {
            broadcasts.remove(ViewerLimits.broadcastId(broadcastId));
        }
    }

    /** The broadcast's state, or null if no one joined it; call holding the lock. */
    private Audience existing(BroadcastId broadcastId) {
        return broadcasts.get(ViewerLimits.broadcastId(broadcastId));
    }
}
