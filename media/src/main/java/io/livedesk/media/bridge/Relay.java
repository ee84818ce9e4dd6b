package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.RelayRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One relay of a conference to another bridge (Jitsi Videobridge's {@code Relay} with its {@code RelayedEndpoint}s,
 * folded into one): an {@link Endpoint} of the conference whose link is a {@link RelayLink}, so the packet path
 * treats the other bridge like one participant. As a receiver it gets every local packet once (not once per
 * endpoint behind it: the other bridge fans out); as a sender its streams are the sources of the other bridge's
 * endpoints listed on it, so what arrives over it is routed by SSRC to the local receivers, and their feedback about
 * those SSRCs (PLI, FIR, NACK, receiver reports) goes back over it to be routed there to the endpoint that owns the
 * SSRC. Packets from one relay never go out on another ({@link Endpoint#relay}): every pair of bridges has its own.
 *
 * <p>The remote endpoints are changed under the conference's lock only.
 */
final class Relay {
    /** Prefix of the relay's endpoint id: '/' is not allowed in endpoint ids, so it never meets one. */
    static final String ENDPOINT_PREFIX = "relay/";

    final String id;
    final String meshId;
    final Endpoint endpoint;
    final RelayLink link;
    private final Map<String, Remote> remotes = new LinkedHashMap<>();

    /** One endpoint of the other bridge: only what stats and the union of sources need. */
    record Remote(String id, String statsId, List<MediaSource> sources) {
    }

    Relay(String id, String meshId, Endpoint endpoint, RelayLink link) {
        this.id = id;
        this.meshId = meshId;
        this.endpoint = endpoint;
        this.link = link;
    }

    static String endpointId(String relayId) {
        return ENDPOINT_PREFIX + relayId;
    }

    /** The other bridge's endpoints after {@code changes}, or a refusal; nothing is changed. */
    List<Remote> after(List<RelayRequest.RemoteEndpoint> changes) throws BridgeException {
        return after(id, remotes(), changes);
    }

    /** As {@link #after(List)}, for a relay that may not exist yet ({@code current} empty). */
    static List<Remote> after(String id, List<Remote> current, List<RelayRequest.RemoteEndpoint> changes)
            throws BridgeException {
        Map<String, Remote> next = new LinkedHashMap<>();
        current.forEach(r -> next.put(r.id(), r));
        for (RelayRequest.RemoteEndpoint change : changes) {
            if (change.id() == null || change.id().isBlank()) {
                throw new BridgeException.BadRequest("relay " + id + ": a remote endpoint has no id");
            }
            if (change.expire()) {
                next.remove(change.id());
                continue;
            }
            Remote known = next.get(change.id());
            if (change.create() && known != null) {
                throw new BridgeException.BadRequest("relay " + id + ": remote endpoint " + change.id()
                        + " already exists");
            }
            if (!change.create() && known == null) {
                throw new BridgeException.NotFound("relay " + id + ": no remote endpoint " + change.id());
            }
            List<MediaSource> sources = change.sources() != null ? change.sources()
                    : known == null ? List.of() : known.sources();
            String statsId = known != null ? known.statsId() : change.statsId();
            next.put(change.id(), new Remote(change.id(), statsId, sources));
        }
        return List.copyOf(next.values());
    }

    /** Called under the conference's lock with a list {@link #after} accepted. */
    void remotes(List<Remote> now) {
        remotes.clear();
        now.forEach(r -> remotes.put(r.id(), r));
    }

    List<Remote> remotes() {
        return List.copyOf(remotes.values());
    }

    /** Every source of the given endpoints: what arrives over this relay. */
    static List<MediaSource> sourcesOf(List<Remote> remotes) {
        List<MediaSource> all = new ArrayList<>();
        remotes.forEach(r -> all.addAll(r.sources()));
        return all;
    }

    @Override
    public String toString() {
        return "relay " + id + (meshId == null ? "" : " (mesh " + meshId + ")") + " of " + endpoint.conference.meetingId;
    }
}
