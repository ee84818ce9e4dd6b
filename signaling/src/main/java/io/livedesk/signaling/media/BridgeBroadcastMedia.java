package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.live.BroadcastState;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Livestream media through the bridge, on the broadcast's media node: one conference per broadcast and bridge it uses
 * ({@link BroadcastMeetings}), one leg per browser. The stage's legs (host, co-hosts) send their tracks and
 * receive each other's; every viewer's leg receives the stage's tracks, host first then co-hosts in the order
 * they came on stage, and sends nothing: its endpoint declares no sources (the bridge drops whatever it sends)
 * and its sections are answered sendonly or inactive. Reading offers, connecting endpoints and building
 * answers is {@link BridgeLegs}, as for calls.
 *
 * <p>When the stage's tracks change (a stage member offers new ones, comes on stage or leaves) every leg that
 * should now receive other tracks is sent {@code broadcast.renegotiate}; a viewer's own offer changes nothing
 * for anyone else. Viewer legs are counted per broadcast, and where a new one goes (or whether it is refused
 * with {@code broadcast_full}) is the {@link ViewerPlacement}'s decision; a viewer counts from its first
 * answered offer until {@link #left} or {@link #ended}.
 *
 * <p>Spreading: the stage's legs are on the broadcast's first carrier, its own conference. When every carrier has
 * its share of viewers the placement may ask for another: a conference ({@code live-<id>+<n>}) on a bridge of the
 * pool that holds none of the broadcast's, joined to the first by a {@link CarrierRelay} that lists the stage's
 * endpoints and sources, kept current as the stage changes. Its viewers are answered with the stage's tracks as on
 * the first (the relay forwards the same SSRCs unchanged). A further carrier whose bridge went down is dropped with
 * its relay, and its viewers are asked to offer again, which places them afresh.
 *
 * <p>This class assumes it runs on {@link Broadcast#mediaNode()}; {@link ClusterBroadcastMedia} hands it the
 * work that arrives elsewhere. Runs on worker threads; the bridge calls of one broadcast are serialised.
 */
public final class BridgeBroadcastMedia implements BroadcastMedia {
    private static final Logger log = LoggerFactory.getLogger(BridgeBroadcastMedia.class);
    private static final int RECENTLY_ENDED_KEPT = 10_000;

    private final Bridge bridge;
    private final BridgeLegs core;
    private final MessageRouter router;
    private final ViewerPlacement placement;
    private final CarrierBridges spread;
    private final Map<BroadcastId, Live> broadcasts = new ConcurrentHashMap<>();
    /** An offer that read its broadcast as live just before the end must not build the conference again. */
    private final RecentlyEnded<BroadcastId> recentlyEnded = new RecentlyEnded<>(RECENTLY_ENDED_KEPT);
    private final AtomicLong relaysCreated = new AtomicLong();

    /** On a single bridge: a broadcast never spreads. */
    public BridgeBroadcastMedia(Bridge bridge, MessageRouter router, ViewerPlacement placement) {
        this(bridge, router, placement, CarrierBridges.NONE);
    }

    /** @param spread where further carriers may go (the pool behind {@code bridge}) */
    BridgeBroadcastMedia(Bridge bridge, MessageRouter router, ViewerPlacement placement, CarrierBridges spread) {
        this.bridge = bridge;
        this.core = new BridgeLegs(bridge);
        this.router = router;
        this.placement = placement;
        this.spread = spread;
    }

    /** One bridge conference carrying the broadcast; {@code relay} joins it to the first, null for the first. */
    private record Carrier(int number, BridgeLegs.Meeting meeting, CarrierRelay relay) {
        int viewers() {
            return (int) meeting.legs.values().stream().filter(l -> l.mode == BridgeLegs.Mode.VIEWER).count();
        }
    }

    /** One live broadcast's carriers and legs and its stage as last seen. Guarded by {@code meeting}'s lock. */
    private static final class Live {
        final BroadcastId id;
        /** The first carrier's meeting: the stage's, and the lock of the whole broadcast. */
        final BridgeLegs.Meeting meeting;
        /**
         * The first carrier first, then the further ones in order of creation. Changed under the lock; copied on
         * write so that metrics read it without waiting behind a broadcast's bridge calls.
         */
        final List<Carrier> carriers = new CopyOnWriteArrayList<>();
        /** Numbers further carriers, never reused: a dropped one's conference may linger on its bridge. */
        int carriersCreated = 1;
        /** Host first, then co-hosts in order of coming on stage: the order every leg receives their tracks in. */
        List<Subject> stage = List.of();
        private int revision = -1;

        Live(BroadcastId id) {
            this.id = id;
            this.meeting = new BridgeLegs.Meeting(BroadcastMeetings.meetingOf(id), "live " + id);
            carriers.add(new Carrier(1, meeting, null));
        }

        /** Takes the stage of {@code broadcast} unless a newer record was seen (handed-off work may be late). */
        void seen(Broadcast broadcast) {
            if (broadcast.revision() >= revision) {
                List<Subject> order = new ArrayList<>();
                order.add(broadcast.host());
                order.addAll(broadcast.coHosts());
                stage = List.copyOf(order);
                revision = broadcast.revision();
            }
        }

        /** The carrier holding the subject's leg, or null. */
        Carrier carrierOf(Subject subject) {
            for (Carrier c : carriers) {
                if (c.meeting.legs.containsKey(subject)) {
                    return c;
                }
            }
            return null;
        }

        List<MeetingId> meetingIds() {
            return carriers.stream().map(c -> c.meeting.meetingId).toList();
        }

        /** The stage's endpoints on the first carrier with their sources, as further carriers' relays list them. */
        Map<String, List<MediaSource>> stageSources() {
            Map<String, List<MediaSource>> out = new LinkedHashMap<>();
            for (BridgeLegs.Leg leg : meeting.legs.values()) {
                if (leg.mode == BridgeLegs.Mode.PARTICIPANT) {
                    out.put(leg.endpointId, leg.sources);
                }
            }
            return out;
        }
    }

    @Override
    public void offer(Broadcast broadcast, Subject from, ClientMessage.Sdp sdp, String requestId) {
        if (broadcast.state() != BroadcastState.LIVE) {
            throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast is not live");
        }
        BridgeLegs.Offer offer = core.read(sdp);
        BroadcastId id = broadcast.id();
        Live live = broadcasts.computeIfAbsent(id, Live::new);
        synchronized (live.meeting) {
            if (live.meeting.ended || recentlyEnded.contains(id)) {
                broadcasts.remove(id, live);
                throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast has ended");
            }
            live.seen(broadcast);
            boolean onStage = broadcast.onStage(from);
            Carrier current = live.carrierOf(from);
            BridgeLegs.Leg before = current == null ? null : current.meeting.legs.get(from);
            boolean wasOnStage = before != null && before.mode == BridgeLegs.Mode.PARTICIPANT;
            Carrier target;
            if (onStage) {
                target = live.carriers.get(0); // the stage sends to the first carrier only
            } else if (before == null || wasOnStage) {
                target = place(live, id);
            } else {
                target = current; // a viewer's new offer keeps its carrier
            }
            if (current != null && current != target) {
                // A viewer called on stage from a further carrier, or a stage member sent to one as a viewer.
                core.drop(current.meeting, from, BridgeLegs.Events.NONE);
            }
            BridgeLegs.Leg leg = core.legFor(target.meeting, from, offer,
                    onStage ? BridgeLegs.Mode.PARTICIPANT : BridgeLegs.Mode.VIEWER,
                    // Numbered on the first carrier for all: a relay lists the stage's ids beside a carrier's own.
                    () -> live.meeting.nextEndpointId(label(broadcast, from), from.equals(broadcast.host())),
                    BridgeLegs.Events.NONE, null);
            if (onStage || wasOnStage) {
                syncRelays(live); // before the answers: the others' next offers expect the stage's new sources
            }
            BridgeLegs.Answer answer = core.answer(leg, offer, tracksFor(live, leg));
            router.send(from, new ServerMessage.BroadcastSignal(id, new ClientMessage.Sdp("answer", answer.sdp())));
            if (answer.missesTracks()) {
                // Too few sections for the stage's tracks: ask for another offer, with more.
                router.send(from, new ServerMessage.BroadcastRenegotiate(id, BridgeLegs.slots(answer.incoming())));
            }
            if (onStage || wasOnStage) {
                renegotiateOthers(id, live, leg);
            }
        }
    }

    /** The carrier that takes a new viewer leg: one with room, or a new one on another bridge. */
    private Carrier place(Live live, BroadcastId id) {
        List<ViewerPlacement.Carrier> carriers = live.carriers.stream()
                .map(c -> new ViewerPlacement.Carrier(c.meeting.meetingId, c.viewers())).toList();
        ViewerPlacement.Placement chosen = placement.place(id, carriers,
                () -> spread.takesConferenceBesides(live.meetingIds()));
        if (chosen instanceof ViewerPlacement.Placement.On on) {
            return live.carriers.stream().filter(c -> c.meeting.meetingId.equals(on.carrier().meetingId()))
                    .findFirst().orElseThrow(() -> new IllegalStateException("viewer placement chose "
                            + on.carrier() + ", which does not carry " + id));
        }
        if (chosen instanceof ViewerPlacement.Placement.Full full) {
            log.info("broadcast {}: viewer refused: {}", id, full.why());
            throw new ProtocolException(ErrorCode.BROADCAST_FULL,
                    "the broadcast's bridges take no more viewers; retry later");
        }
        return newCarrier(live);
    }

    /** Spreads the broadcast to one more bridge: a conference there, joined to the first carrier by a relay. */
    private Carrier newCarrier(Live live) {
        int number = ++live.carriersCreated;
        MeetingId meetingId = BroadcastMeetings.meetingOf(live.id, number);
        List<Media> medias = live.meeting.legs.values().stream()
                .filter(l -> l.mode == BridgeLegs.Mode.PARTICIPANT).findFirst().map(l -> l.medias).orElse(List.of());
        CarrierRelay relay;
        try {
            relay = CarrierRelay.open(bridge, spread, live.meetingIds(), live.meeting.meetingId, meetingId, number,
                    live.meeting.meetingId.value(), live.stageSources(), medias);
        } catch (BridgeException | RuntimeException e) {
            log.warn("broadcast {}: spreading to another bridge failed: {}", live.id, e.toString());
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the media bridge is unavailable; retry");
        }
        relaysCreated.incrementAndGet();
        Carrier carrier = new Carrier(number,
                new BridgeLegs.Meeting(meetingId, "live " + live.id + " carrier " + number), relay);
        live.carriers.add(carrier);
        log.info("broadcast {}: carrier {} on bridge {}, relay from bridge {}; {} carrier(s) now", live.id, number,
                ownerOf(meetingId), ownerOf(live.meeting.meetingId), live.carriers.size());
        return carrier;
    }

    private String ownerOf(MeetingId meetingId) {
        return bridge instanceof BridgePool pool ? pool.ownerOf(meetingId).orElse("?") : bridge.id();
    }

    /** Lists the stage's current endpoints and sources on every further carrier's relay. */
    private void syncRelays(Live live) {
        Map<String, List<MediaSource>> stage = live.stageSources();
        for (Carrier c : live.carriers) {
            if (c.relay == null) {
                continue;
            }
            try {
                c.relay.sync(bridge, stage);
            } catch (BridgeException e) {
                // Its viewers miss the change until the next one; a lost bridge is handled by conferencesLost.
                log.warn("broadcast {}: updating the relay to carrier {} failed: {}", live.id, c.number, e.toString());
            }
        }
    }

    /** The first part of a leg's endpoint id, for the bridge's logs and statistics. */
    private static String label(Broadcast broadcast, Subject subject) {
        if (subject.equals(broadcast.host())) {
            return "host";
        }
        return broadcast.onStage(subject) ? "cohost" : "viewer";
    }

    /** The subject's leg goes; if it was on stage, everyone who received its tracks offers again without them. */
    @Override
    public void left(Broadcast broadcast, Subject subject) {
        Live live = broadcasts.get(broadcast.id());
        if (live == null) {
            return;
        }
        synchronized (live.meeting) {
            if (live.meeting.ended) {
                return;
            }
            live.seen(broadcast);
            Carrier carrier = live.carrierOf(subject);
            if (carrier == null) {
                return;
            }
            BridgeLegs.Leg leg = core.drop(carrier.meeting, subject, BridgeLegs.Events.NONE);
            if (leg != null && leg.mode == BridgeLegs.Mode.PARTICIPANT) {
                syncRelays(live);
                renegotiateOthers(broadcast.id(), live, leg);
            }
        }
    }

    @Override
    public void view(Broadcast broadcast, Subject subject, int maxHeight) {
        Live live = broadcasts.get(broadcast.id());
        if (live == null) {
            return;
        }
        synchronized (live.meeting) {
            Carrier carrier = live.carrierOf(subject);
            if (!live.meeting.ended && carrier != null) {
                core.view(carrier.meeting, carrier.meeting.legs.get(subject), maxHeight);
            }
        }
    }

    @Override
    public void ended(Broadcast broadcast) {
        recentlyEnded.add(broadcast.id()); // before the state goes, so a late offer cannot slip between
        Live live = broadcasts.remove(broadcast.id());
        if (live == null) {
            core.end(BroadcastMeetings.meetingOf(broadcast.id()), null, BridgeLegs.Events.NONE);
            return;
        }
        List<Carrier> carriers;
        synchronized (live.meeting) {
            // After an offer in flight: a carrier it creates is expired with the others; later ones see the end.
            carriers = List.copyOf(live.carriers);
        }
        // Further carriers first: each conference goes with its relay, and the first's relays with it.
        for (int i = carriers.size() - 1; i >= 0; i--) {
            Carrier c = carriers.get(i);
            core.end(c.meeting.meetingId, c.meeting, BridgeLegs.Events.NONE);
        }
        if (carriers.size() > 1) {
            log.info("broadcast {}: ended; {} carrier conference(s) and {} relay(s) expired", live.id, carriers.size(),
                    carriers.size() - 1);
        }
    }

    /**
     * Bridges went down and the pool forgot these conferences. A further carrier among them is dropped, with its
     * relay on the first carrier's bridge, and its viewers are asked to offer again: their new legs are placed
     * afresh (on a carrier with room, or a new one). When the first carrier is lost, so is the stage's media for every
     * carrier: the further ones are expired and their viewers asked to offer again as well, to be placed with the
     * stage's new conference once the stage reconnects (the existing path for the first carrier's own legs).
     * Runs on a worker: it calls bridges.
     */
    void conferencesLost(Set<MeetingId> lost) {
        for (Live live : broadcasts.values()) {
            synchronized (live.meeting) {
                if (live.meeting.ended || live.carriers.size() < 2) {
                    continue;
                }
                boolean firstLost = lost.contains(live.meeting.meetingId);
                List<Carrier> dropped = new ArrayList<>();
                for (Carrier c : live.carriers.subList(1, live.carriers.size())) {
                    if (firstLost || lost.contains(c.meeting.meetingId)) {
                        dropped.add(c);
                    }
                }
                for (Carrier c : dropped) {
                    live.carriers.remove(c);
                    c.meeting.ended = true;
                    if (!firstLost) {
                        c.relay.closeFirstSide(bridge);
                    }
                    if (!lost.contains(c.meeting.meetingId)) {
                        try {
                            bridge.expire(c.meeting.meetingId);
                        } catch (BridgeException e) {
                            log.debug("broadcast {}: expiring carrier {} failed: {}", live.id, c.number, e.toString());
                        }
                    }
                    log.warn("broadcast {}: carrier {} dropped ({}); {} viewer(s) asked to offer again", live.id,
                            c.number, firstLost ? "the first carrier's bridge went down" : "its bridge went down",
                            c.meeting.legs.size());
                    ServerMessage.ReceiveSlots slots = BridgeLegs.slots(tracksFor(live, null));
                    for (BridgeLegs.Leg leg : c.meeting.legs.values()) {
                        router.send(leg.subject, new ServerMessage.BroadcastRenegotiate(live.id, slots));
                    }
                    c.meeting.legs.clear();
                }
            }
        }
    }

    /** Carrier conferences of the broadcasts live here (1 each, more for those spread over several bridges). */
    public int carriers() {
        return broadcasts.values().stream().mapToInt(l -> l.carriers.size()).sum();
    }

    /** Broadcasts live here that spread over more than one bridge. */
    public int spreadBroadcasts() {
        return (int) broadcasts.values().stream().filter(l -> l.carriers.size() > 1).count();
    }

    /** Relays this node created between bridges since it started. */
    public long relaysCreated() {
        return relaysCreated.get();
    }

    private void renegotiateOthers(BroadcastId id, Live live, BridgeLegs.Leg changed) {
        List<ForwardedTrack> stageTracks = tracksFor(live, null);
        for (Carrier c : live.carriers) {
            BridgeLegs.renegotiateOthers(c.meeting, changed,
                    other -> other.mode == BridgeLegs.Mode.VIEWER ? stageTracks : tracksFor(live, other),
                    (other, slots) -> router.send(other.subject, new ServerMessage.BroadcastRenegotiate(id, slots)));
        }
    }

    /** The tracks {@code leg} should receive: the stage's, in stage order, but its own. */
    private static List<ForwardedTrack> tracksFor(Live live, BridgeLegs.Leg leg) {
        List<ForwardedTrack> out = new ArrayList<>();
        for (Subject member : live.stage) {
            BridgeLegs.Leg stageLeg = live.meeting.legs.get(member);
            if (stageLeg != null && stageLeg != leg && stageLeg.mode == BridgeLegs.Mode.PARTICIPANT) {
                out.addAll(stageLeg.tracks);
            }
        }
        return out;
    }
}
