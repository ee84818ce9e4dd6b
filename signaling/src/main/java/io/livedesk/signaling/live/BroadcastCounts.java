package io.livedesk.signaling.live;

/**
 * The additive counters of a broadcast: its totals, and the deltas added to them
 * ({@link BroadcastStore#addCounts}). Counters only grow, so no part is negative.
 *
 * @param watchTimeMs            viewers' watching time summed over all viewers
 * @param consultationsRequested viewers who pressed "consult now"
 * @param consultationsAnswered  of those, the ones a staff member took
 */
public record BroadcastCounts(long watchTimeMs, long chatMessages, long likes, long consultationsRequested,
                              long consultationsAnswered) {

    public static final BroadcastCounts NONE = new BroadcastCounts(0, 0, 0, 0, 0);

    public BroadcastCounts {
        if (watchTimeMs < 0 || chatMessages < 0 || likes < 0 || consultationsRequested < 0 || consultationsAnswered < 0) {
            throw new IllegalArgumentException("broadcast counts cannot be negative");
        }
    }

    public static BroadcastCounts watched(long ms) {
        return new BroadcastCounts(ms, 0, 0, 0, 0);
    }

    public static BroadcastCounts chatMessage() {
        return new BroadcastCounts(0, 1, 0, 0, 0);
    }

    public static BroadcastCounts like() {
        return new BroadcastCounts(0, 0, 1, 0, 0);
    }

    public static BroadcastCounts consultationRequested() {
        return new BroadcastCounts(0, 0, 0, 1, 0);
    }

    public static BroadcastCounts consultationAnswered() {
        return new BroadcastCounts(0, 0, 0, 0, 1);
    }

    /** Exact: an overflow fails rather than wraps, as Redis's HINCRBY does. */
    public BroadcastCounts plus(BroadcastCounts delta) {
        return new BroadcastCounts(Math.addExact(watchTimeMs, delta.watchTimeMs),
                Math.addExact(chatMessages, delta.chatMessages), Math.addExact(likes, delta.likes),
                Math.addExact(consultationsRequested, delta.consultationsRequested),
                Math.addExact(consultationsAnswered, delta.consultationsAnswered));
    }
}
