package io.livedesk.signaling.live;

/**
 * What {@link ViewerPresenceStore#join} did. A banned viewer is an outcome, not an exception: their page
 * will keep retrying, and a switch over this enum makes every caller decide what to tell them.
 */
public enum JoinOutcome {
    /** The viewer was not present and now is (first join, or back after leaving or expiring). */
    JOINED,
    /** The viewer was present already: their heartbeat and display name were refreshed, join time kept. */
    REFRESHED,
    /** The viewer is banned from this broadcast; nothing was stored. */
    BANNED
}
