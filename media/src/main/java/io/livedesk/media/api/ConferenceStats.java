package io.livedesk.media.api;

import java.util.List;

/**
 * Statistics of one conference on a bridge: totals and one entry per endpoint, and one per relay to another bridge
 * ({@code relays}: "in" is what came over it from the other bridge, "out" what this bridge forwarded over it; its
 * {@code id} is the relay id; not in the totals, which are the endpoints'). Not part of
 * Colibri2 (a Jitsi Videobridge exposes similar data only through its debug interface).
 */
public record ConferenceStats(MeetingId meetingId, int endpointCount, long packetsIn, long packetsOut,
                              long bytesIn, long bytesOut, long dropped, List<EndpointStats> endpoints,
                              List<EndpointStats> relays) {
    public ConferenceStats {
        endpoints = List.copyOf(endpoints);
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    public ConferenceStats(MeetingId meetingId, int endpointCount, long packetsIn, long packetsOut, long bytesIn,
                           long bytesOut, long dropped, List<EndpointStats> endpoints) {
        this(meetingId, endpointCount, packetsIn, packetsOut, bytesIn, bytesOut, dropped, endpoints, List.of());
    }
}
