package io.livedesk.media.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A Colibri2 conference request: create or change a conference, its endpoints and its relays to other bridges,
 * or expire it. Build
 * one with {@link #creating}, {@link #modifying} or {@link #expiring}; only a codec, which reads every
 * field off the wire, calls the constructor.
 */
public record ConferenceRequest(MeetingId meetingId, String name, boolean create, boolean expire,
                                List<EndpointRequest> endpoints, List<RelayRequest> relays) {
    public ConferenceRequest {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        relays = relays == null ? List.of() : List.copyOf(relays);
    }

    /** A request without relays (the common case: one bridge per conference). */
    public ConferenceRequest(MeetingId meetingId, String name, boolean create, boolean expire,
                             List<EndpointRequest> endpoints) {
        this(meetingId, name, create, expire, endpoints, List.of());
    }

    /** A request that creates the conference (and, usually, its first endpoints). */
    public static Builder creating(MeetingId meetingId) {
        Builder builder = new Builder(meetingId);
        builder.create = true;
        return builder;
    }

    /** A request that changes the endpoints of an existing conference. */
    public static Builder modifying(MeetingId meetingId) {
        return new Builder(meetingId);
    }

    /** A request that expires the whole conference. */
    public static ConferenceRequest expiring(MeetingId meetingId) {
        return new ConferenceRequest(meetingId, null, false, true, List.of());
    }

    public static final class Builder {
        private final MeetingId meetingId;
        private final List<EndpointRequest> endpoints = new ArrayList<>();
        private final List<RelayRequest> relays = new ArrayList<>();
        private String name;
        private boolean create;

        private Builder(MeetingId meetingId) {
            this.meetingId = meetingId;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder endpoint(EndpointRequest endpoint) {
            endpoints.add(endpoint);
            return this;
        }

        public Builder endpoint(EndpointRequest.Builder endpoint) {
            return endpoint(endpoint.build());
        }

        public Builder endpoints(List<EndpointRequest> more) {
            endpoints.addAll(more);
            return this;
        }

        public Builder relay(RelayRequest relay) {
            relays.add(relay);
            return this;
        }

        public Builder relay(RelayRequest.Builder relay) {
            return relay(relay.build());
        }

        public ConferenceRequest build() {
            return new ConferenceRequest(meetingId, name, create, false, endpoints, relays);
        }
    }
}
