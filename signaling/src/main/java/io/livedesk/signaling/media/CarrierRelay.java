package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.TransportDescription;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay that joins a broadcast's further carrier to its first (see protocol.md, "Bridge nodes: relays between
 * bridges"): one relay on each bridge, the first carrier's side ICE-controlling, the transports swapped, and on the
 * further side the stage's endpoints with their sources, so that its viewers receive the stage's tracks over it.
 * The first side lists nothing: viewers send nothing. The stage is on the first carrier only, so the broadcast's
 * relays form a star from it, the part of a full mesh that carries anything; two further carriers are never joined.
 *
 * <p>Requests go through the pool, which routes each by meeting id to the bridge holding it. Not thread-safe: the
 * broadcast's lock is held around every call.
 */
final class CarrierRelay {
    private final MeetingId first;
    private final MeetingId further;
    /** The relay's id on the first carrier's conference: names the further carrier (the relay id of the far end). */
    private final String onFirst;
    /** Its id on the further carrier's conference: names the first. */
    private final String onFurther;
    /** The stage's endpoints listed on the further side now, with the sources listed. */
    private Map<String, List<MediaSource>> listed;

    private CarrierRelay(MeetingId first, MeetingId further, String onFirst, String onFurther,
                         Map<String, List<MediaSource>> listed) {
        this.first = first;
        this.further = further;
        this.onFirst = onFirst;
        this.onFurther = onFurther;
        this.listed = listed;
    }

    /** The relay id a carrier has at the other end of its relays. */
    static String relayId(int carrier) {
        return "carrier-" + carrier;
    }

    /**
     * Creates the further carrier's conference on a bridge holding none of {@code held}, with its relay listing
     * {@code stage}, then the relay on the first carrier's conference, then swaps their transports. On failure,
     * what was created is expired (best effort) and the exception passed on.
     *
     * @param stage  the stage's endpoints (by endpoint id) with their sources
     * @param medias the codecs and header extensions the stage sends with, for the further bridge; may be empty
     */
    static CarrierRelay open(Bridge bridge, CarrierBridges bridges, Collection<MeetingId> held, MeetingId first,
                             MeetingId further, int carrier, String meshId, Map<String, List<MediaSource>> stage,
                             List<Media> medias) throws BridgeException {
        String onFirst = relayId(carrier);
        String onFurther = relayId(1);
        RelayRequest.Builder farSide = RelayRequest.creating(onFurther, meshId, false).medias(medias);
        stage.forEach((id, sources) -> farSide.endpoint(RelayRequest.RemoteEndpoint.creating(id, id, sources)));
        ConferenceReply created = bridges.createBesides(ConferenceRequest.creating(further)
                .name(ConferenceNames.of(further)).relay(farSide).build(), held);
        boolean firstSideCreated = false;
        try {
            TransportDescription furtherSide = transportOf(created, onFurther);
            TransportDescription firstSide = transportOf(bridge.apply(ConferenceRequest.modifying(first)
                    .relay(RelayRequest.creating(onFirst, meshId, true)).build()), onFirst);
            firstSideCreated = true;
            bridge.apply(ConferenceRequest.modifying(further)
                    .relay(RelayRequest.updating(onFurther).remoteTransport(firstSide)).build());
            bridge.apply(ConferenceRequest.modifying(first)
                    .relay(RelayRequest.updating(onFirst).remoteTransport(furtherSide)).build());
            return new CarrierRelay(first, further, onFirst, onFurther, new LinkedHashMap<>(stage));
        } catch (BridgeException | RuntimeException e) {
            if (firstSideCreated) {
                expireQuietly(bridge, first, onFirst);
            }
            try {
                bridge.expire(further);
            } catch (BridgeException ignored) {
                // the pool keeps it as an orphan if its bridge cannot be reached
            }
            throw e;
        }
    }

    /**
     * Lists {@code stage} on the further side: endpoints that left are expired first (a replaced leg's SSRCs move to
     * its new endpoint, and the bridge refuses an SSRC two remote endpoints declare), then the new ones created and
     * the changed ones updated. What failed is left as it was, to be tried at the next change.
     */
    void sync(Bridge bridge, Map<String, List<MediaSource>> stage) throws BridgeException {
        RelayRequest.Builder gone = RelayRequest.updating(onFurther);
        RelayRequest.Builder changed = RelayRequest.updating(onFurther);
        boolean anyGone = false;
        boolean anyChanged = false;
        for (String id : listed.keySet()) {
            if (!stage.containsKey(id)) {
                gone.endpoint(RelayRequest.RemoteEndpoint.expiring(id));
                anyGone = true;
            }
        }
        for (Map.Entry<String, List<MediaSource>> e : stage.entrySet()) {
            List<MediaSource> before = listed.get(e.getKey());
            if (before == null) {
                changed.endpoint(RelayRequest.RemoteEndpoint.creating(e.getKey(), e.getKey(), e.getValue()));
                anyChanged = true;
            } else if (!before.equals(e.getValue())) {
                changed.endpoint(RelayRequest.RemoteEndpoint.updating(e.getKey(), e.getValue()));
                anyChanged = true;
            }
        }
        if (anyGone) {
            bridge.apply(ConferenceRequest.modifying(further).relay(gone).build());
            Map<String, List<MediaSource>> kept = new LinkedHashMap<>(listed);
            kept.keySet().retainAll(stage.keySet());
            listed = kept;
        }
        if (anyChanged) {
            bridge.apply(ConferenceRequest.modifying(further).relay(changed).build());
            listed = new LinkedHashMap<>(stage);
        }
    }

    /** Expires the relay on the first carrier's side (the further side goes with its conference). Best effort. */
    void closeFirstSide(Bridge bridge) {
        expireQuietly(bridge, first, onFirst);
    }

    MeetingId further() {
        return further;
    }

    private static void expireQuietly(Bridge bridge, MeetingId meetingId, String relayId) {
        try {
            bridge.apply(ConferenceRequest.modifying(meetingId).relay(RelayRequest.expiring(relayId)).build());
        } catch (BridgeException ignored) {
            // gone with its conference or its bridge; nothing forwards over it any more
        }
    }

    private static TransportDescription transportOf(ConferenceReply reply, String relayId) throws BridgeException {
        TransportDescription t = reply.relay(relayId).map(ConferenceReply.RelayReply::transport).orElse(null);
        if (t == null) {
            throw new BridgeException.BadRequest("the bridge created relay " + relayId + " without a transport");
        }
        return t;
    }
}
