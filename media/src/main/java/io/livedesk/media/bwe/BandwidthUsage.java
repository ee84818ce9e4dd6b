package io.livedesk.media.bwe;

/** What the delay-based detector makes of the path now (the overuse detector's signal of GCC). */
public enum BandwidthUsage {
    /** Queueing delay is steady: the path carries what is sent. */
    NORMAL,
    /** Queueing delay grows: more is sent than the path carries. */
    OVERUSING,
    /** Queueing delay shrinks: a queue drains (after a decrease). */
    UNDERUSING
}
