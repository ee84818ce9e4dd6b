package io.livedesk.media.api;

import java.util.List;

/**
 * What to do with one endpoint of a conference.
 *
 * @param create          allocate it (its transport is returned in the reply)
 * @param expire          free it and everything it holds
 * @param medias          the codecs and header extensions it uses (on create, or to change them)
 * @param remoteTransport the browser's ICE/DTLS parameters, from its SDP; null to leave unchanged
 * @param sources         the tracks it sends, from its SDP; null to leave unchanged, empty for none
 * @param iceControlling  whether the bridge is the controlling ICE agent (Colibri2's {@code ice-controlling})
 */
public record EndpointRequest(String id, boolean create, boolean expire, String statsId, List<Media> medias,
                              TransportDescription remoteTransport, List<MediaSource> sources,
                              boolean iceControlling) {
    public EndpointRequest {
        medias = medias == null ? List.of() : List.copyOf(medias);
        sources = sources == null ? null : List.copyOf(sources);
    }
}
