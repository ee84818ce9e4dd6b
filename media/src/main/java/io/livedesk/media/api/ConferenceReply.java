package io.livedesk.media.api;

import java.util.List;

/**
 * The bridge's answer: for each endpoint created, its transport (bridge side); for each expired,
 * {@code expired}; plus the bridge's own sources (feedback SSRCs) that belong in every browser's SDP.
 */
public record ConferenceReply(List<EndpointReply> endpoints, List<MediaSource> bridgeSources) {
    public ConferenceReply {
        endpoints = List.copyOf(endpoints);
        bridgeSources = List.copyOf(bridgeSources);
    }

    /** @param transport the bridge's side of the endpoint's transport; null unless just created */
    public record EndpointReply(String id, TransportDescription transport, boolean expired) {
    }
}
