package io.livedesk.media.api;

import java.util.List;

/**
 * Statistics of one conference on a bridge: totals and one entry per endpoint. Not part of
 * Colibri2 (a Jitsi Videobridge exposes similar data only through its debug interface).
 */
public record ConferenceStats(MeetingId meetingId, int endpointCount, long packetsIn, long packetsOut,
                              long bytesIn, long bytesOut, long dropped, List<EndpointStats> endpoints) {
    public ConferenceStats {
        endpoints = List.copyOf(endpoints);
    }
}
