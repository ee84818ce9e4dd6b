package io.livedesk.media.api;

import java.util.Objects;

/** One endpoint's media flow, as {@link Bridge#mediaStatus} reports it. */
public record EndpointMedia(MeetingId meetingId, String endpointId, MediaFlow flow) {
    public EndpointMedia {
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(flow, "flow");
    }
}
