package io.livedesk.media.api;

import java.util.List;

/**
 * The bridge's answer: for each endpoint created, its transport (bridge side); for each expired,
 * {@code expired}; the same for relays; plus the bridge's own sources (feedback SSRCs) that belong in every browser's SDP.
 */
public record ConferenceReply(List<EndpointReply> endpoints, List<MediaSource> bridgeSources,
                              List<RelayReply> relays) {
    public ConferenceReply {
        endpoints = List.copyOf(endpoints);
        bridgeSources = List.copyOf(bridgeSources);
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    /** A reply about endpoints only. */
    public ConferenceReply(List<EndpointReply> endpoints, List<MediaSource> bridgeSources) {
        this(endpoints, bridgeSources, List.of());
    }

    /** The relay with this id, if the reply names it. */
    public java.util.Optional<RelayReply> relay(String id) {
        return relays.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * @param transport this bridge's side of the relay's transport, for the focus to give the other bridge; null
     *                  unless just created
     */
    public record RelayReply(String id, TransportDescription transport, boolean expired) {
    }

    /** @param transport the bridge's side of the endpoint's transport; null unless just created */
    public record EndpointReply(String id, TransportDescription transport, boolean expired) {
    }
}
