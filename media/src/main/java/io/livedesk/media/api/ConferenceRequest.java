package io.livedesk.media.api;

import java.util.List;

/** A Colibri2 conference request: create or change a conference and its endpoints, or expire it. */
public record ConferenceRequest(String meetingId, String name, boolean create, boolean expire,
                                List<EndpointRequest> endpoints) {
    public ConferenceRequest {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
