package io.livedesk.media.api;

import java.util.List;

/**
 * What to do with one bridge-to-bridge relay of a conference (Colibri2 {@code relays}, "secure Octo"): an ICE +
 * DTLS-SRTP transport to another bridge that carries the same conference, and the endpoints of that bridge whose
 * media arrives over it. A focus creates a relay on each of the two bridges (one {@code iceControlling}, one not),
 * gives each the other's transport from its reply, and lists on each side the other bridge's endpoints with their
 * sources. Build one with {@link #creating}, {@link #updating} or {@link #expiring}; only a codec calls the
 * constructor.
 *
 * @param id              the relay id of the bridge at the other end (Jitsi Videobridge's {@code relay-id})
 * @param meshId          the mesh the relay belongs to (kept for logs and stats; every relay of a LiveDesk bridge
 *                        is in a full mesh, nothing is re-forwarded between relays)
 * @param iceControlling  whether this side controls ICE (and so, when the other side says nothing else, is the
 *                        DTLS client); only read on create
 * @param remoteTransport the other bridge's side once the focus swapped them; null to leave unchanged
 * @param medias          the codecs and header extensions of the relayed media (as an endpoint's); empty to keep
 * @param endpoints       the other bridge's endpoints to create, update or expire on this relay; empty for none
 */
public record RelayRequest(String id, boolean create, boolean expire, String meshId, boolean iceControlling,
                           TransportDescription remoteTransport, List<Media> medias,
                           List<RemoteEndpoint> endpoints) {
    public RelayRequest {
        medias = medias == null ? List.of() : List.copyOf(medias);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /**
     * One endpoint of the other bridge, as this bridge forwards it to its own receivers: its media arrives over
     * the relay on the SSRCs of {@code sources}.
     *
     * @param sources what it sends; null to leave unchanged (on an update)
     */
    public record RemoteEndpoint(String id, boolean create, boolean expire, String statsId, List<MediaSource> sources) {
        public RemoteEndpoint {
            sources = sources == null ? null : List.copyOf(sources);
        }

        public static RemoteEndpoint creating(String id, String statsId, List<MediaSource> sources) {
            return new RemoteEndpoint(id, true, false, statsId, sources);
        }

        public static RemoteEndpoint updating(String id, List<MediaSource> sources) {
            return new RemoteEndpoint(id, false, false, null, sources);
        }

        public static RemoteEndpoint expiring(String id) {
            return new RemoteEndpoint(id, false, true, null, null);
        }
    }

    /** A request that creates the relay; its reply carries this bridge's side of the transport. */
    public static Builder creating(String id, String meshId, boolean iceControlling) {
        Builder builder = new Builder(id);
        builder.create = true;
        builder.meshId = meshId;
        builder.iceControlling = iceControlling;
        return builder;
    }

    /** A request that changes an existing relay (its remote transport, its remote endpoints). */
    public static Builder updating(String id) {
        return new Builder(id);
    }

    /** A request that frees the relay: nothing more is forwarded to or from the other bridge. */
    public static RelayRequest expiring(String id) {
        return new RelayRequest(id, false, true, null, false, null, null, null);
    }

    public static final class Builder {
        private final String id;
        private final java.util.ArrayList<RemoteEndpoint> endpoints = new java.util.ArrayList<>();
        private boolean create;
        private String meshId;
        private boolean iceControlling;
        private TransportDescription remoteTransport;
        private List<Media> medias;

        private Builder(String id) {
            this.id = id;
        }

        public Builder remoteTransport(TransportDescription transport) {
            this.remoteTransport = transport;
            return this;
        }

        public Builder medias(List<Media> medias) {
            this.medias = medias;
            return this;
        }

        public Builder endpoint(RemoteEndpoint endpoint) {
            endpoints.add(endpoint);
            return this;
        }

        public RelayRequest build() {
            return new RelayRequest(id, create, false, meshId, iceControlling, remoteTransport, medias, endpoints);
        }
    }
}
