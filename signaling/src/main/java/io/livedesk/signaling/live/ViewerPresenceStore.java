package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who is watching each broadcast: in this JVM for one node, in Redis when several nodes serve the same
 * broadcast. Both implementations pass {@code ViewerPresenceStoreContract}.
 *
 * <p>A viewer is <em>present</em> from {@link #join} until {@link #leave}, {@link #expire} or {@link #ban}
 * removes them. Between a missed heartbeat and the sweep that expires them a viewer is present but
 * <em>stale</em>: {@link #count} and {@link #page} take the time to live and leave stale viewers out, so
 * both are right between sweeps; their watch time runs to their last heartbeat. A stale viewer whose
 * heartbeat arrives before the sweep is simply fresh again.
 *
 * <p>Each {@code broadcastId} parameter is the broadcast's id; a broadcast no one joined reads as empty.
 * Times are passed in (milliseconds), never read from a clock.
 */
public interface ViewerPresenceStore {

    /**
     * A viewer opened the broadcast (or reconnected). A banned viewer is refused ({@link JoinOutcome#BANNED})
     * and nothing is stored. Otherwise they are seen now, their display name (null or blank for none, cut to
     * {@link ViewerLimits#MAX_NAME_CHARS}) replaces the old one, and a viewer met for the first time counts
     * towards {@link #uniqueViewers}.
     */
    JoinOutcome join(BroadcastId broadcastId, Subject viewer, String displayName, long nowMs);

    /**
     * The viewer is still watching: seen now (a heartbeat older than the last one changes nothing). False
     * when they are not present (they left or expired): the caller must {@link #join} them again.
     */
    boolean heartbeat(BroadcastId broadcastId, Subject viewer, long nowMs);

    /**
     * {@link #heartbeat} for many viewers at once: a node refreshes all of its viewers of a broadcast in one
     * call. Returns those of them not present (they left, expired or never joined), to be joined again.
     */
    default List<Subject> heartbeatAll(BroadcastId broadcastId, Collection<Subject> viewers, long nowMs) {
        List<Subject> absent = new ArrayList<>();
        for (Subject viewer : viewers) {
            if (!heartbeat(broadcastId, viewer, nowMs)) {
                absent.add(viewer);
            }
        }
        return absent;
    }

    /**
     * The viewer closed the broadcast: removed, and the time from their join until now added to
     * {@link #watchTimeMs}. False when they were not present.
     */
    boolean leave(BroadcastId broadcastId, Subject viewer, long nowMs);

    /**
     * Removes viewers whose last heartbeat is before {@code olderThanMs} (callers pass now minus the time to
     * live) and returns them, oldest heartbeat first: at most {@code max}, and at most
     * {@link ViewerLimits#MAX_EXPIRE_BATCH}; call again while a batch comes back full. Each one's time from
     * join to last heartbeat is added to {@link #watchTimeMs}. Exactly one caller, on any node, gets each
     * expired viewer.
     */
    List<ViewerPresence> expire(BroadcastId broadcastId, long olderThanMs, int max);

    /** How many viewers are present with a heartbeat at or after {@code nowMs - ttlMs}. */
    long count(BroadcastId broadcastId, long nowMs, long ttlMs);

    /**
     * The viewers {@link #count} counts, in join order (then by subject), skipping {@code offset} of them:
     * at most {@code limit}, and at most {@link ViewerLimits#MAX_PAGE}.
     */
    List<ViewerPresence> page(BroadcastId broadcastId, int offset, int limit, long nowMs, long ttlMs);

    /** How many different viewers ever joined the broadcast (exact; re-joins count once). */
    long uniqueViewers(BroadcastId broadcastId);

    /** The watch time of every stay that ended (by leave, expiry or ban), in milliseconds. */
    long watchTimeMs(BroadcastId broadcastId);

    /**
     * Bans a viewer from the broadcast: if present they are removed now (their watch time accounted as for
     * {@link #leave}), and every later {@link #join} with the same subject is refused. Returns whether they
     * were present. Bans last until {@link #remove}.
     */
    boolean ban(BroadcastId broadcastId, Subject viewer, long nowMs);

    boolean isBanned(BroadcastId broadcastId, Subject viewer);

    /**
     * Forgets everything about the broadcast (viewers, unique count, watch time, bans), once it has ended and
     * its totals have been read.
     */
    void remove(BroadcastId broadcastId);
}
