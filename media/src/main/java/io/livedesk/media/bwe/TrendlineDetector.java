package io.livedesk.media.bwe;

/**
 * The delay-based half of the estimator (GCC's arrival-time filter and overuse detector, as libwebrtc's trendline
 * estimator does them). Packets are grouped by send time into bursts of {@link #BURST_NANOS}; between consecutive
 * groups the delay variation is how much longer the second took to arrive after the first than it was sent after
 * it. Its running sum, smoothed, is fitted over the last {@link #WINDOW} groups by least squares: the slope is how
 * fast the queue on the path grows. The slope, scaled, is compared with an adaptive threshold that follows the
 * signal slowly (so a path's steady jitter does not read as overuse, yet a real queue still does): above it for
 * more than {@link #OVERUSE_TIME_NANOS} and rising is {@link BandwidthUsage#OVERUSING}, below its negative
 * {@link BandwidthUsage#UNDERUSING}. Arrival times are the receiver's clock, send times the bridge's: only
 * differences within each are used. Not thread-safe.
 */
public final class TrendlineDetector {
    static final long BURST_NANOS = 5_000_000L;
    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double GAIN = 4.0;
    static final long OVERUSE_TIME_NANOS = 10_000_000L;
    static final double INITIAL_THRESHOLD_MS = 12.5;
    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;

    // The group being filled, and the last complete one: first and last send time, last arrival.
    private boolean open;
    private long groupFirstSent;
    private long groupLastSent;
    private long groupArrival;
    private boolean havePrevious;
    private long previousSent;
    private long previousArrival;

    // Trendline.
    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int points;
    private int nextPoint;
    private long firstArrival = Long.MIN_VALUE;
    private double accumulatedMs;
    private double smoothedMs;
    private int deltas;
    private double slope;
    private double previousSlope;

    // Detector.
    private double thresholdMs = INITIAL_THRESHOLD_MS;
    private long lastThresholdUpdate = Long.MIN_VALUE;
    private long overusingNanos = -1;
    private int overuseCount;
    private BandwidthUsage usage = BandwidthUsage.NORMAL;

    /** One received packet, in send order, with its send time (bridge) and arrival time (receiver). */
    public void packet(long sentNanos, long arrivalNanos) {
        if (!open) {
            startGroup(sentNanos, arrivalNanos);
            return;
        }
        if (sentNanos < groupFirstSent) {
            return; // sent before the group began: a reordered old packet says nothing about the queue now
        }
        if (sentNanos - groupFirstSent <= BURST_NANOS) {
            groupLastSent = Math.max(groupLastSent, sentNanos);
            groupArrival = Math.max(groupArrival, arrivalNanos);
            return;
        }
        completeGroup();
        startGroup(sentNanos, arrivalNanos);
    }

    private void startGroup(long sentNanos, long arrivalNanos) {
        open = true;
        groupFirstSent = sentNanos;
        groupLastSent = sentNanos;
        groupArrival = arrivalNanos;
    }

    private void completeGroup() {
        if (havePrevious) {
            long sendDelta = groupLastSent - previousSent;
            long arrivalDelta = groupArrival - previousArrival;
            if (arrivalDelta >= 0) {
                update((arrivalDelta - sendDelta) / 1e6, arrivalDelta, groupArrival);
            }
        }
        havePrevious = true;
        previousSent = groupLastSent;
        previousArrival = groupArrival;
    }

    /** One inter-group delay variation: the trendline, then the detector. */
    private void update(double delayVariationMs, long arrivalDeltaNanos, long arrivalNanos) {
        deltas = Math.min(deltas + 1, 1000);
        accumulatedMs += delayVariationMs;
        smoothedMs = SMOOTHING * smoothedMs + (1 - SMOOTHING) * accumulatedMs;
        if (firstArrival == Long.MIN_VALUE) {
            firstArrival = arrivalNanos;
        }
        xs[nextPoint] = (arrivalNanos - firstArrival) / 1e6;
        ys[nextPoint] = smoothedMs;
        nextPoint = (nextPoint + 1) % WINDOW;
        points = Math.min(points + 1, WINDOW);
        if (points == WINDOW) {
            slope = fit();
        }
        detect(Math.min(deltas, 60) * slope * GAIN, arrivalDeltaNanos, arrivalNanos);
    }

    /** Least-squares slope of the window's points. */
    private double fit() {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < points; i++) {
            meanX += xs[i];
            meanY += ys[i];
        }
        meanX /= points;
        meanY /= points;
        double num = 0;
        double den = 0;
        for (int i = 0; i < points; i++) {
            num += (xs[i] - meanX) * (ys[i] - meanY);
            den += (xs[i] - meanX) * (xs[i] - meanX);
        }
        return den == 0 ? slope : num / den;
    }

    private void detect(double trend, long arrivalDeltaNanos, long nowNanos) {
        if (deltas < 2) {
            usage = BandwidthUsage.NORMAL;
        } else if (trend > thresholdMs) {
            overusingNanos = overusingNanos < 0 ? arrivalDeltaNanos / 2 : overusingNanos + arrivalDeltaNanos;
            overuseCount++;
            if (overusingNanos > OVERUSE_TIME_NANOS && overuseCount > 1 && slope >= previousSlope) {
                overusingNanos = 0;
                overuseCount = 0;
                usage = BandwidthUsage.OVERUSING;
            }
        } else if (trend < -thresholdMs) {
            overusingNanos = -1;
            overuseCount = 0;
            usage = BandwidthUsage.UNDERUSING;
        } else {
            overusingNanos = -1;
            overuseCount = 0;
            usage = BandwidthUsage.NORMAL;
        }
        previousSlope = slope;
        adaptThreshold(trend, nowNanos);
    }

    /** Follows |trend| slowly upward and faster downward; a spike far above is left out (a route change). */
    private void adaptThreshold(double trend, long nowNanos) {
        if (lastThresholdUpdate == Long.MIN_VALUE) {
            lastThresholdUpdate = nowNanos;
        }
        double magnitude = Math.abs(trend);
        if (magnitude > thresholdMs + 15) {
            lastThresholdUpdate = nowNanos;
            return;
        }
        double k = magnitude < thresholdMs ? K_DOWN : K_UP;
        double elapsedMs = Math.min(Math.max(nowNanos - lastThresholdUpdate, 0) / 1e6, 100);
        thresholdMs = Math.min(Math.max(thresholdMs + k * (magnitude - thresholdMs) * elapsedMs, 6), 600);
        lastThresholdUpdate = nowNanos;
    }

    public BandwidthUsage usage() {
        return usage;
    }

    /** The fitted slope: ms of queueing delay gained per ms (tests, diagnostics). */
    public double slope() {
        return slope;
    }

    public double thresholdMs() {
        return thresholdMs;
    }
}
