package io.livedesk.media.api;

import java.util.List;

/**
 * What to do with one endpoint of a conference. Build one with {@link #creating}, {@link #updating} or
 * {@link #expiring}; only a codec, which reads every field off the wire, calls the constructor.
 *
 * @param create          allocate it (its transport is returned in the reply)
 * @param expire          free it and everything it holds
 * @param medias          the codecs and header extensions it uses (on create, or to change them)
 * @param remoteTransport the browser's ICE/DTLS parameters, from its SDP; null to leave unchanged
 * @param sources         the tracks it sends, from its SDP; null to leave unchanged, empty for none
 * @param iceControlling  whether the bridge is the controlling ICE agent (Colibri2's {@code ice-controlling})
 * @param maxVideoHeight  the height the endpoint shows others' video at, in pixels, capping the simulcast layer it
 *                        gets; 0 for no cap; null to leave unchanged (a LiveDesk extension of Colibri2)
 */
public record EndpointRequest(String id, boolean create, boolean expire, String statsId, List<Media> medias,
                              TransportDescription remoteTransport, List<MediaSource> sources,
                              boolean iceControlling, Integer maxVideoHeight) {
    /** Taller than any video a browser sends: a larger cap means none. */
    public static final int MAX_VIDEO_HEIGHT = 4320;

    public EndpointRequest {
        medias = medias == null ? List.of() : List.copyOf(medias);
        sources = sources == null ? null : List.copyOf(sources);
        if (maxVideoHeight != null && (maxVideoHeight < 0 || maxVideoHeight > MAX_VIDEO_HEIGHT)) {
            throw new IllegalArgumentException("maxVideoHeight must be 0-" + MAX_VIDEO_HEIGHT + ": " + maxVideoHeight);
        }
    }

    /** A request that allocates the endpoint. */
    public static Builder creating(String id) {
        Builder builder = new Builder(id);
        builder.create = true;
        return builder;
    }

    /** A request that changes an existing endpoint; whatever is not set is left as it is. */
    public static Builder updating(String id) {
        return new Builder(id);
    }

    /** A request that frees the endpoint. */
    public static EndpointRequest expiring(String id) {
        return new EndpointRequest(id, false, true, null, null, null, null, false, null);
    }

    public static final class Builder {
        private final String id;
        private boolean create;
        private String statsId;
        private List<Media> medias;
        private TransportDescription remoteTransport;
        private List<MediaSource> sources;
        // A browser offers and so controls ICE; the bridge answers as the controlled agent.
        private boolean iceControlling;
        private Integer maxVideoHeight;

        private Builder(String id) {
            this.id = id;
        }

        public Builder statsId(String statsId) {
            this.statsId = statsId;
            return this;
        }

        public Builder medias(List<Media> medias) {
            this.medias = medias;
            return this;
        }

        public Builder remoteTransport(TransportDescription remoteTransport) {
            this.remoteTransport = remoteTransport;
            return this;
        }

        public Builder sources(List<MediaSource> sources) {
            this.sources = sources;
            return this;
        }

        public Builder iceControlling(boolean iceControlling) {
            this.iceControlling = iceControlling;
            return this;
        }

        public Builder maxVideoHeight(int height) {
            this.maxVideoHeight = height;
            return this;
        }

        public EndpointRequest build() {
            return new EndpointRequest(id, create, false, statsId, medias, remoteTransport, sources, iceControlling,
                    maxVideoHeight);
        }
    }
}
