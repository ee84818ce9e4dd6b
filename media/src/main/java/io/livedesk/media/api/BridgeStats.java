package io.livedesk.media.api;

/**
 * Load and health (Colibri2 {@code /colibri/stats}): {@code stressLevel} 0..1 and beyond under overload,
 * used to choose a bridge for a new conference. {@code draining}: the bridge keeps its conferences but
 * wants no new ones (Jitsi Videobridge's {@code drain}); {@code shuttingDown}: it is about to stop, its
 * conferences should move. {@code region} and {@code version} are what the bridge says of itself, null when
 * it says nothing (a LiveDesk bridge has no region). {@code relays}: its relays to other bridges, over all its
 * conferences (0 from a bridge that does not say).
 */
public record BridgeStats(double stressLevel, int conferences, int endpoints, boolean healthy, boolean draining,
                          boolean shuttingDown, long packetsIn, long packetsOut, long bytesIn, long bytesOut,
                          String region, String version, int relays) {

    /** Without relays. */
    public BridgeStats(double stressLevel, int conferences, int endpoints, boolean healthy, boolean draining,
                       boolean shuttingDown, long packetsIn, long packetsOut, long bytesIn, long bytesOut,
                       String region, String version) {
        this(stressLevel, conferences, endpoints, healthy, draining, shuttingDown, packetsIn, packetsOut, bytesIn,
                bytesOut, region, version, 0);
    }

    /** Without region or version: what an in-process bridge knows of itself. */
    public BridgeStats(double stressLevel, int conferences, int endpoints, boolean healthy, boolean draining,
                       boolean shuttingDown, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
        this(stressLevel, conferences, endpoints, healthy, draining, shuttingDown, packetsIn, packetsOut, bytesIn,
                bytesOut, null, null);
    }
}
