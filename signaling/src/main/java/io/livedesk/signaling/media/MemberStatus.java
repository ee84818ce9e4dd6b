package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeStats;

/**
 * What a {@link BridgePool} knows of one member at a moment, for metrics, logs and tests.
 *
 * @param id                  the bridge's id
 * @param up                  whether it takes conferences (false after {@code down-after} failed checks or a
 *                            connection error, until a check succeeds again)
 * @param stats               what it reported at its last successful check; null before the first
 * @param assignedConferences conferences this pool placed there and still routes there
 * @param consecutiveFailures failed checks or requests since the last success
 * @param timesDown           how often it was marked down
 * @param conferencesLost     conferences forgotten because it went down
 * @param lastFailure         why the last check or request failed; empty if none did
 */
public record MemberStatus(String id, boolean up, BridgeStats stats, int assignedConferences,
                           int consecutiveFailures, long timesDown, long conferencesLost, String lastFailure) {
}
