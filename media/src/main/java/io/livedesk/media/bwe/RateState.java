package io.livedesk.media.bwe;

/**
 * The rate control's state (GCC's AIMD): it moves on every feedback by the detector's {@link BandwidthUsage}.
 * <pre>
 *            NORMAL                 OVERUSING
 *   HOLD ───────────▶ INCREASE ─────────────▶ DECREASE ──(next feedback)──▶ HOLD
 *    ▲  ◀── UNDERUSING ──┘                                                  │
 *    └──────────────────────────────────────────────────────────────────────┘
 * </pre>
 */
public enum RateState {
    /** Keeps the estimate: a queue drains, or just after a decrease. */
    HOLD,
    /** Grows the estimate multiplicatively while the path shows no queue. */
    INCREASE,
    /** Just cut the estimate to a share of what was acknowledged. */
    DECREASE
}
