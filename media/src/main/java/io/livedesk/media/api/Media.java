package io.livedesk.media.api;

import java.util.List;

/** What an endpoint can send and receive of one media type. */
public record Media(MediaType type, List<PayloadType> payloadTypes, List<HeaderExtension> headerExtensions) {
    public Media {
        payloadTypes = List.copyOf(payloadTypes);
        headerExtensions = List.copyOf(headerExtensions);
    }
}
