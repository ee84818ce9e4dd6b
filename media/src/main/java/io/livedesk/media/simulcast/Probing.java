package io.livedesk.media.simulcast;

/**
 * How a {@link LayerController} checks that a receiver's path carries more before moving it up, where the bridge
 * estimates that path itself (transport-cc feedback): padding toward the receiver at about the extra bitrate of
 * the next layer, measured by the same feedback. A receiver whose estimate is its REMB cannot be probed (its
 * browser's receive-side estimator does not report room above what it receives in time): it has none.
 */
public interface Probing {
    /** Starts padding toward the receiver at about {@code paddingBps} for the settings' probe duration. */
    void start(long paddingBps, long nowNanos);

    /** Decreases of the receiver's estimate for overuse so far: one during a probe means the probe showed overuse. */
    long overuses();
}
