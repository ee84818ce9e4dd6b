package io.livedesk.signaling.live;

import java.util.Objects;

/**
 * The bounds every {@link ViewerPresenceStore} keeps, and the argument checks both implementations share,
 * so that a host's page or a sweep never asks a store for an unbounded amount of work.
 */
public final class ViewerLimits {

    /** The most viewers one {@link ViewerPresenceStore#page} returns, whatever limit is asked for. */
    public static final int MAX_PAGE = 100;

    /**
     * The most viewers one {@link ViewerPresenceStore#expire} removes (the sweep calls again for more), and
     * the most one script of {@link ViewerPresenceStore#heartbeatAll} refreshes: either way one bounded
     * piece of work at a time.
     */
    public static final int MAX_EXPIRE_BATCH = 500;

    /** Display names are the viewer's own text, stored and shown: longer ones are cut to this many chars. */
    public static final int MAX_NAME_CHARS = 100;

    private ViewerLimits() {
    }

    /** The typed id validates itself; only its absence is left to refuse. */
    static BroadcastId broadcastId(BroadcastId broadcastId) {
        return Objects.requireNonNull(broadcastId, "broadcastId");
    }

    /** The name as stored: null for none or blank, else cut to {@link #MAX_NAME_CHARS} on a whole character. */
    static String displayName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        if (name.length() <= MAX_NAME_CHARS) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_NAME_CHARS - 1)) ? MAX_NAME_CHARS - 1 : MAX_NAME_CHARS;
        return name.substring(0, end);
    }

    /** How many viewers a page holds: the limit asked for, at most {@link #MAX_PAGE}. */
    static int pageSize(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative: " + offset + ", " + limit);
        }
        return Math.min(limit, MAX_PAGE);
    }

    /** How many viewers one expiry removes: the max asked for, at most {@link #MAX_EXPIRE_BATCH}; none if negative. */
    static int expireBatch(int max) {
        return Math.max(0, Math.min(max, MAX_EXPIRE_BATCH));
    }

    static long ttl(long ttlMs) {
        if (ttlMs < 0) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttlMs);
        }
        return ttlMs;
    }
}
