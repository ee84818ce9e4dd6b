package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeStats;

/**
 * What a {@link BridgePool} knows of one member at a moment, for metrics, logs, the admin API and tests.
 *
 * @param id                  the bridge's id
 * @param kind                in this process or remote
 * @param up                  whether it takes conferences (false after {@code down-after} failed checks or a
 *                            connection error, or at once when it reports shutting down, until a check
 *                            succeeds again)
 * @param draining            whether it is draining (no new conferences; its own keep going): as it last
 *                            reported, or as this node just set it
 * @param shuttingDown        whether it last reported shutting down (its calls were moved away)
 * @param stats               what it reported at its last check that it answered; null before the first
 * @param assignedConferences conferences this pool placed there and still routes there
 * @param consecutiveFailures failed checks or requests since the last success
 * @param timesDown           how often it was marked down
 * @param conferencesLost     conferences forgotten because it went down
 * @param lastFailure         why the last check or request failed; empty if none did
 * @param region              the region it is in: as configured, else as its stats name it; null when neither says
 */
public record MemberStatus(String id, MemberBridge.Kind kind, boolean up, boolean draining, boolean shuttingDown,
                           BridgeStats stats, int assignedConferences, int consecutiveFailures, long timesDown,
                           long conferencesLost, String lastFailure, String region) {

    /** Whether a new conference may go there now (existing ones stay wherever they are). */
    public boolean takesNewConferences() {
        return up && !draining && !shuttingDown && (stats == null || stats.healthy());
    }
}
