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
 * The relay that joins a further conference of a meeting to its first (see protocol.md, "Bridge nodes: relays between
 * bridges"): one relay on each bridge, the first conference's side ICE-controlling, the transports swapped, and on
 * each side the other side's endpoints with their sources, so that each side's receivers get the other side's tracks
 * over it. Used for both meetings that span bridges:
 * <ul>
 *   <li>a broadcast's further carrier: its relay lists the stage's endpoints on the further side; the first side lists
 *       nothing, as viewers send nothing. The stage is on the first carrier only, so the broadcast's relays form a
 *       star from it, the part of a full mesh that carries anything; two further carriers are never joined;</li>
 *   <li>a call's conference in a second region ({@link CallPlacement}): each side lists the other's participants.</li>
 * </ul>
 *
 * <p>Requests go through the pool, which routes each by meeting id to the bridge holding it. Not thread-safe: the
 * meeting's lock is held around every call.
 */
final class CarrierRelay {
    private final MeetingId first;
    private final MeetingId further;
    /** The relay's id on the first conference: names the further one (the relay id of the far end). */
    private final String onFirst;
    /** Its id on the further conference: names the first. */
    private final String onFurther;
    /** What the further side lists: the first side's endpoints. */
    private final Listing toFurther;
    /** What the first side lists: the further side's endpoints. */
    private final Listing toFirst;

    /** The endpoints one side of the relay lists now, with the sources listed. */
    private static final class Listing {
        private final MeetingId meetingId;
        private final String relayId;
        private Map<String, List<MediaSource>> listed;

        Listing(MeetingId meetingId, String relayId, Map<String, List<MediaSource>> listed) {
            this.meetingId = meetingId;
            this.relayId = relayId;
            this.listed = new LinkedHashMap<>(listed);
        }

        /**
         * Lists {@code wanted}: endpoints that left are expired first (a replaced leg's SSRCs move to its new
         * endpoint, and the bridge refuses an SSRC two remote endpoints declare), then the new ones created and the
         * changed ones updated. What failed is left as it was, to be tried at the next change.
         */
        void sync(Bridge bridge, Map<String, List<MediaSource>> wanted) throws BridgeException {
            RelayRequest.Builder gone = RelayRequest.updating(relayId);
            RelayRequest.Builder changed = RelayRequest.updating(relayId);
            boolean anyGone = false;
            boolean anyChanged = false;
            for (String id : listed.keySet()) {
                if (!wanted.containsKey(id)) {
                    gone.endpoint(RelayRequest.RemoteEndpoint.expiring(id));
                    anyGone = true;
                }
            }
            for (Map.Entry<String, List<MediaSource>> e : wanted.entrySet()) {
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
                bridge.apply(ConferenceRequest.modifying(meetingId).relay(gone).build());
                Map<String, List<MediaSource>> kept = new LinkedHashMap<>(listed);
                kept.keySet().retainAll(wanted.keySet());
                listed = kept;
            }
            if (anyChanged) {
                bridge.apply(ConferenceRequest.modifying(meetingId).relay(changed).build());
                listed = new LinkedHashMap<>(wanted);
            }
        }
    }

    private CarrierRelay(MeetingId first, MeetingId further, String onFirst, String onFurther,
                         Map<String, List<MediaSource>> listedOnFurther, Map<String, List<MediaSource>> listedOnFirst) {
        this.first = first;
        this.further = further;
        this.onFirst = onFirst;
        this.onFurther = onFurther;
        this.toFurther = new Listing(further, onFurther, listedOnFurther);
        this.toFirst = new Listing(first, onFirst, listedOnFirst);
    }

    /** The relay id a carrier has at the other end of its relays. */
    static String relayId(int carrier) {
        return "carrier-" + carrier;
    }

    /** As {@link #open(Bridge, CarrierBridges, Collection, String, MeetingId, MeetingId, int, String, Map, List)} on any bridge. */
    static CarrierRelay open(Bridge bridge, CarrierBridges bridges, Collection<MeetingId> held, MeetingId first,
                             MeetingId further, int carrier, String meshId, Map<String, List<MediaSource>> stage,
                             List<Media> medias) throws BridgeException {
        return open(bridge, bridges, held, null, first, further, carrier, meshId, stage, medias);
    }

    /**
     * Creates the further conference on a bridge holding none of {@code held} (of {@code region}, unless null), with
     * its relay listing {@code stage}, then the relay on the first conference, then swaps their transports. The first
     * side lists nothing yet: the further conference has no endpoint. On failure, what was created is expired (best
     * effort) and the exception passed on.
     *
     * @param stage  the first side's endpoints to list on the further side (by endpoint id) with their sources
     * @param medias the codecs and header extensions the endpoints send with, for both bridges; may be empty
     */
    static CarrierRelay open(Bridge bridge, CarrierBridges bridges, Collection<MeetingId> held, String region,
                             MeetingId first, MeetingId further, int carrier, String meshId,
                             Map<String, List<MediaSource>> stage, List<Media> medias) throws BridgeException {
        String onFirst = relayId(carrier);
        String onFurther = relayId(1);
        RelayRequest.Builder farSide = RelayRequest.creating(onFurther, meshId, false).medias(medias);
        stage.forEach((id, sources) -> farSide.endpoint(RelayRequest.RemoteEndpoint.creating(id, id, sources)));
        ConferenceRequest create = ConferenceRequest.creating(further).name(ConferenceNames.of(further))
                .relay(farSide).build();
        ConferenceReply created = region == null ? bridges.createBesides(create, held)
                : bridges.createIn(region, create, held);
        boolean firstSideCreated = false;
        try {
            TransportDescription furtherSide = transportOf(created, onFurther);
            RelayRequest.Builder nearSide = RelayRequest.creating(onFirst, meshId, true);
            if (region != null) {
                nearSide.medias(medias); // a call's further side sends too
            }
            TransportDescription firstSide = transportOf(bridge.apply(ConferenceRequest.modifying(first)
                    .relay(nearSide).build()), onFirst);
            firstSideCreated = true;
            bridge.apply(ConferenceRequest.modifying(further)
                    .relay(RelayRequest.updating(onFurther).remoteTransport(firstSide)).build());
            bridge.apply(ConferenceRequest.modifying(first)
                    .relay(RelayRequest.updating(onFirst).remoteTransport(furtherSide)).build());
            return new CarrierRelay(first, further, onFirst, onFurther, stage, Map.of());
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
     * A relay another node opened, as it stored it (a call taken over): {@code carrier} numbers the further side, and
     * each side is taken to list what it listed then.
     */
    static CarrierRelay restore(MeetingId first, MeetingId further, int carrier,
                                Map<String, List<MediaSource>> listedOnFurther,
                                Map<String, List<MediaSource>> listedOnFirst) {
        return new CarrierRelay(first, further, relayId(carrier), relayId(1), listedOnFurther, listedOnFirst);
    }

    /** Lists {@code stage} (the first side's endpoints) on the further side; see {@link Listing#sync}. */
    void sync(Bridge bridge, Map<String, List<MediaSource>> stage) throws BridgeException {
        toFurther.sync(bridge, stage);
    }

    /** Lists {@code endpoints} (the further side's) on the first side; see {@link Listing#sync}. */
    void syncFirstSide(Bridge bridge, Map<String, List<MediaSource>> endpoints) throws BridgeException {
        toFirst.sync(bridge, endpoints);
    }

    /** Expires the relay on the first carrier's side (the further side goes with its conference). Best effort. */
    void closeFirstSide(Bridge bridge) {
        expireQuietly(bridge, first, onFirst);
    }

    MeetingId further() {
        return further;
    }

    /** The endpoint ids the further side lists now. */
    List<String> listedOnFurther() {
        return List.copyOf(toFurther.listed.keySet());
    }

    /** The endpoint ids the first side lists now. */
    List<String> listedOnFirst() {
        return List.copyOf(toFirst.listed.keySet());
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
