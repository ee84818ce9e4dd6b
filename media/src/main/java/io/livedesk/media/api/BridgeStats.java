package io.livedesk.media.api;

/**
 * Load and health (Colibri2 {@code /colibri/stats}): {@code stressLevel} 0..1 and beyond under overload,
 * used to choose a bridge for a new conference.
 */
public record BridgeStats(double stressLevel, int conferences, int endpoints, boolean healthy, boolean draining,
                          boolean shuttingDown, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
}
