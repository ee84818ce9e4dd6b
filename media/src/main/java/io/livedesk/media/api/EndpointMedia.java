package io.livedesk.media.api;

import java.util.Objects;

/**
 * One endpoint's media flow, as {@link Bridge#mediaStatus} reports it; or a relay's to another bridge
 * ({@code relay}, {@code endpointId} is then the relay id): stopped when its ICE failed or nothing came over it for
 * the media timeout.
 */
public record EndpointMedia(MeetingId meetingId, String endpointId, MediaFlow flow, boolean relay) {
    public EndpointMedia {
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(flow, "flow");
    }

    public EndpointMedia(MeetingId meetingId, String endpointId, MediaFlow flow) {
        this(meetingId, endpointId, flow, false);
    }
}
