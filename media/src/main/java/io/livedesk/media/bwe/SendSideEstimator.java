package io.livedesk.media.bwe;

/**
 * One receiver's send-side bandwidth estimate, from the transport-cc feedback about what the bridge sent it. For
 * each feedback the caller hands over every reported packet in sequence order ({@link #received} or
 * {@link #lost}, with what {@link SentPackets} recorded for it) and then calls {@link #feedbackDone}.
 *
 * <ul>
 *   <li>Delay: {@link TrendlineDetector}'s signal drives the {@link RateState} machine. While the path shows no
 *       queue the estimate grows by {@link #INCREASE_PER_SECOND} a second, but not beyond
 *       {@code 1.5 x} the acknowledged bitrate (room is shown by sending more, not assumed: a probe); on overuse it
 *       drops to {@link #DECREASE_FACTOR} x the acknowledged bitrate, then holds until the queue is gone.</li>
 *   <li>Loss: over at least {@link #LOSS_MIN_PACKETS} reported packets, more than {@link #LOSS_HIGH} lost cuts a
 *       loss-based cap by half the loss (at most once per {@link #LOSS_DECREASE_INTERVAL_NANOS}); under
 *       {@link #LOSS_LOW} the cap lifts to the delay-based estimate (it may grow again); in between it holds.</li>
 * </ul>
 * The estimate is the smaller of the two, within [min, max]. Plain state, time passed in; not thread-safe (one
 * receiver's feedback is read on its receive thread; readers elsewhere see the volatile results).
 */
public final class SendSideEstimator {
    static final double INCREASE_PER_SECOND = 1.08;
    static final double DECREASE_FACTOR = 0.85;
    static final double ACKED_HEADROOM = 1.5;
    static final double LOSS_HIGH = 0.10;
    static final double LOSS_LOW = 0.02;
    static final int LOSS_MIN_PACKETS = 20;
    static final long LOSS_DECREASE_INTERVAL_NANOS = 300_000_000L;
    /** An increase covers at most this much time: a long silence between feedbacks is not room. */
    private static final long MAX_INCREASE_STEP_NANOS = 500_000_000L;

    private final long minBps;
    private final long maxBps;
    private final TrendlineDetector detector = new TrendlineDetector();
    private final AcknowledgedBitrate acknowledged = new AcknowledgedBitrate();

    private RateState state = RateState.HOLD;
    private double delayBps;
    private double lossBps;
    private long lastUpdateNanos = Long.MIN_VALUE;
    private long lastLossDecreaseNanos = Long.MIN_VALUE;
    private int reported;
    private int lostCount;
    private volatile long overuses;
    private volatile long feedbacks;
    private volatile RateState published = RateState.HOLD;
    private volatile long estimateBps;
    private volatile double lossFraction;

    public SendSideEstimator(long initialBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps) {
            throw new IllegalArgumentException("need 0 < minBps <= maxBps");
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.delayBps = Math.min(Math.max(initialBps, minBps), maxBps);
        this.lossBps = delayBps;
        this.estimateBps = (long) delayBps;
    }

    /** A packet the feedback reports received, with the receiver's arrival time. */
    public void received(long sentNanos, long arrivalNanos, int bytes) {
        detector.packet(sentNanos, arrivalNanos);
        acknowledged.add(arrivalNanos, bytes);
        reported++;
    }

    /** A packet the feedback reports not received. */
    public void lost(long sentNanos, int bytes) {
        reported++;
        lostCount++;
    }

    /** After one feedback's packets: moves the rate control and the loss cap on. */
    public void feedbackDone(long nowNanos) {
        feedbacks++;
        long elapsed = lastUpdateNanos == Long.MIN_VALUE ? 0
                : Math.min(Math.max(nowNanos - lastUpdateNanos, 0), MAX_INCREASE_STEP_NANOS);
        lastUpdateNanos = nowNanos;
        double growth = Math.pow(INCREASE_PER_SECOND, elapsed / 1e9);
        long ackedBps = acknowledged.bps();
        double ceiling = ackedBps > 0 ? Math.max(ACKED_HEADROOM * ackedBps + 10_000, 0) : Double.MAX_VALUE;

        switch (detector.usage()) {
            case OVERUSING -> {
                if (state != RateState.DECREASE) {
                    double cut = DECREASE_FACTOR * (ackedBps > 0 ? ackedBps : delayBps);
                    delayBps = Math.min(delayBps, cut);
                    overuses++;
                    state = RateState.DECREASE;
                } else {
                    state = RateState.HOLD;
                }
            }
            case UNDERUSING -> state = RateState.HOLD;
            case NORMAL -> {
                if (state == RateState.INCREASE && delayBps < ceiling) {
                    delayBps = Math.min(delayBps * growth, Math.max(ceiling, delayBps));
                }
                state = RateState.INCREASE;
            }
        }

        if (reported >= LOSS_MIN_PACKETS) {
            double fraction = (double) lostCount / reported;
            lossFraction = fraction;
            if (fraction > LOSS_HIGH) {
                if (lastLossDecreaseNanos == Long.MIN_VALUE
                        || nowNanos - lastLossDecreaseNanos >= LOSS_DECREASE_INTERVAL_NANOS) {
                    lossBps = Math.min(lossBps, delayBps) * (1 - 0.5 * fraction);
                    lastLossDecreaseNanos = nowNanos;
                }
            } else if (fraction < LOSS_LOW) {
                lossBps = Math.max(lossBps, delayBps); // loss says nothing against the delay-based estimate
            }
            reported = 0;
            lostCount = 0;
        }
        lossBps = Math.min(Math.max(lossBps, minBps), maxBps);
        delayBps = Math.min(Math.max(delayBps, minBps), maxBps);
        estimateBps = (long) Math.min(delayBps, lossBps);
        published = state;
    }

    public long estimateBps() {
        return estimateBps;
    }

    public long acknowledgedBps() {
        return acknowledged.bps();
    }

    public RateState state() {
        return published;
    }

    public BandwidthUsage usage() {
        return detector.usage();
    }

    /** Decreases for overuse so far: a probe that saw this change showed overuse. */
    public long overuses() {
        return overuses;
    }

    /** Feedback messages taken so far. */
    public long feedbacks() {
        return feedbacks;
    }

    /** The loss of the last evaluated batch of reported packets, 0-1. */
    public double lossFraction() {
        return lossFraction;
    }
}
