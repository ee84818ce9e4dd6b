package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallStreams;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Calls through a media bridge: each participant's browser (customer, staff member, supervisors) holds
 * one RTCPeerConnection to the bridge (one endpoint of the call's conference, meeting id = call id). Only
 * browsers make offers; this class answers each one from the participant's bridge transport and the
 * other participants' tracks (one per section, in order of joining), and when those change (someone
 * joins, leaves or changes sources) it sends {@code call.renegotiate}, with how many tracks of each kind
 * are coming, so the browser offers again. No glare: the server never offers.
 *
 * <p>The conference and its endpoints are created lazily, by the first offer of each party ({@link BridgeLegs},
 * shared with livestreams, does the reading, connecting and answering). The legs'
 * state lives here, on the call's media node ({@code CallRecord.mediaNode}, the node that answered it); other nodes
 * hand the call's signals to it (see {@code CallService}). It is also written to the {@link CallMediaStore} after
 * every change that matters (a leg created, replaced, restarted, answered or dropped), so that when the media node
 * dies the node that claims it takes the call over ({@link #takeOver}): it adopts the conference on the same bridge
 * member and answers the browsers' next offers from the same endpoints, so their media never stops.
 * Trickled ICE candidates are not passed on: the Bridge API takes a transport's candidates only once
 * (with its credentials), so the bridge uses the candidates in the offer and learns peer-reflexive ones
 * from the browser's connectivity checks.
 *
 * <p>It also tells the others in a call when its customer or staff member drops and comes back
 * ({@code call.peer}, see {@link CallConnectivity}): from their WebSocket ({@link #away}, {@link #resumed}) and
 * from their leg's media as the bridge pool reports it ({@link #mediaChanged}).
 *
 * <p>Runs on worker threads (and on the timer or shutdown thread for {@link #ended}); the bridge calls of
 * one call are serialised.
 */
public final class BridgeNegotiator implements MediaNegotiator {
    private static final Logger log = LoggerFactory.getLogger(BridgeNegotiator.class);
    public static final String MODE = "bridge";
    static final String FROM = "bridge";
    private static final int RECENTLY_ENDED_KEPT = 10_000;

    private final BridgeLegs core;
    private final Bridge bridge;
    /** Where a call's conference in a second region may go: the pool, or nowhere (a single bridge). */
    private final CarrierBridges spread;
    private final CallMediaStore store;
    private final String nodeId;
    private final MessageRouter router;
    private final List<Map<String, Object>> iceServers;
    private final Map<CallId, BridgeLegs.Meeting> calls = new ConcurrentHashMap<>();
    /** A signal that read its call as live just before the end must not build the conference again. */
    private final RecentlyEnded<CallId> recentlyEnded = new RecentlyEnded<>(RECENTLY_ENDED_KEPT);
    private final LegObserver legs;
    private final boolean trickle;
    /** Who of each call is with us; created by the first signal, leave or drop, dropped with the call. */
    private final Map<CallId, CallConnectivity> connectivity = new ConcurrentHashMap<>();

    public BridgeNegotiator(Bridge bridge, MessageRouter router, List<Map<String, Object>> iceServers) {
        this(bridge, router, iceServers, LegObserver.NONE, false);
    }

    /**
     * @param legs    told of every leg created and dropped (the transcriber taps their audio)
     * @param trickle the bridges are ICE-lite (they learn the browsers' addresses from their checks), so
     *                browsers may offer before gathering ends; their trickled candidates need not be passed on
     */
    public BridgeNegotiator(Bridge bridge, MessageRouter router, List<Map<String, Object>> iceServers, LegObserver legs,
                            boolean trickle) {
        this(bridge, router, iceServers, legs, trickle, new InMemoryCallMediaStore(), "local");
    }

    /**
     * @param store  where each call's media state is kept for a node that takes the call over
     * @param nodeId this node, as the stored states name their writer
     */
    public BridgeNegotiator(Bridge bridge, MessageRouter router, List<Map<String, Object>> iceServers, LegObserver legs,
                            boolean trickle, CallMediaStore store, String nodeId) {
        this.core = new BridgeLegs(bridge);
        this.bridge = bridge;
        this.spread = bridge instanceof BridgePool pool ? pool : CarrierBridges.NONE;
        this.store = store;
        this.nodeId = nodeId;
        this.router = router;
        this.iceServers = List.copyOf(iceServers);
        this.legs = legs;
        this.trickle = trickle;
    }

    @Override
    public boolean trickle() {
        return trickle;
    }

    @Override
    public List<Map<String, Object>> iceServersFor(CallRecord call, Role party) {
        return iceServers;
    }

    /** Every participant offers its own leg. */
    @Override
    public boolean offers(Role party) {
        return true;
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public boolean supportsParticipants() {
        return true;
    }

    @Override
    public boolean namesStreams() {
        return true;
    }

    @Override
    public boolean nodeLocal() {
        return true;
    }

    @Override
    public void signal(CallRecord call, Subject fromSubject, Role fromRole, ClientMessage.CallSignal signal,
                       Runnable answered) {
        signal(call, fromSubject, fromRole, null, signal, answered);
    }

    /**
     * The call's conference is wanted in the region of its first participant with media (the first to offer): a
     * pool puts it on a bridge of that region if one takes it ({@link BridgeSelector}). The region stays the call's
     * when the conference is created again (its bridge went down). A later participant of another region goes on a
     * conference of the call on a bridge of their region, joined to the call's by one relay, when
     * {@link CallPlacement} says so.
     */
    @Override
    public void signal(CallRecord call, Subject fromSubject, Role fromRole, String fromRegion,
                       ClientMessage.CallSignal signal, Runnable answered) {
        if (signal.candidate() != null) {
            return; // see the class comment: the offer's candidates and peer-reflexive ones suffice
        }
        BridgeLegs.Offer offer = core.read(signal.sdp());
        CallId callId = call.callId();
        BridgeLegs.Meeting media = meetingOf(call);
        synchronized (media) {
            if (media.ended || recentlyEnded.contains(callId)) {
                calls.remove(callId, media);
                throw new ProtocolException(ErrorCode.INVALID_STATE, "the call has ended");
            }
            settle(call, media);
            if (media.ended) {
                throw new ProtocolException(ErrorCode.UNAVAILABLE, "the call's media moved to another node; offer again");
            }
            media.lostInTakeover.remove(fromSubject);
            if (media.region == null && media.legs.isEmpty()) {
                media.region = fromRegion;
            }
            LegRole role = LegRole.of(call, fromSubject);
            MeetingId conference = conferenceFor(callId, media, fromSubject, fromRegion);
            BridgeLegs.Leg leg = core.legFor(media, conference, fromSubject, offer, BridgeLegs.Mode.PARTICIPANT,
                    () -> media.nextEndpointId(role.label(), role == LegRole.CUSTOMER), events(call),
                    CallStreams.of(call, fromSubject));
            BridgeLegs.Answer answer = core.answer(leg, offer, tracksFor(media, leg));
            syncRelays(callId, media);
            // Stored before anyone sees the answer: a node taking over answers with a later version.
            if (!persist(callId, media)) {
                throw new ProtocolException(ErrorCode.UNAVAILABLE, "the call's media moved to another node; offer again");
            }
            answered.run();
            router.send(fromSubject, new ServerMessage.CallSignal(callId, FROM,
                    new ClientMessage.Sdp("answer", answer.sdp()), null));
            if (answer.missesTracks()) {
                // Too few sections in this offer for everyone's tracks: ask for another, with more.
                router.send(fromSubject, new ServerMessage.CallRenegotiate(callId, BridgeLegs.slots(answer.incoming())));
            }
            renegotiateOthers(callId, media, leg);
        }
    }

    /**
     * The call's meeting here: the one this node holds, else the one stored by the node that held it before (a
     * node that died; this one took the call over), else a new one (a call this node just answered). The store is
     * read outside the meeting's lock; of two threads that build one, the first to put it here wins.
     */
    private BridgeLegs.Meeting meetingOf(CallRecord call) {
        CallId callId = call.callId();
        BridgeLegs.Meeting known = calls.get(callId);
        if (known != null) {
            return known;
        }
        MeetingId meetingId = CallMeetings.meetingOf(callId);
        String name = "call " + meetingId;
        BridgeLegs.Meeting built = stored(callId).map(s -> BridgeLegs.Meeting.restore(s, name))
                .orElseGet(() -> new BridgeLegs.Meeting(meetingId, name));
        BridgeLegs.Meeting raced = calls.putIfAbsent(callId, built);
        return raced != null ? raced : built;
    }

    private Optional<CallMediaState> stored(CallId callId) {
        if (recentlyEnded.contains(callId)) {
            return Optional.empty();
        }
        try {
            return store.get(callId);
        } catch (RuntimeException e) {
            // Unreadable now: the call goes on with new endpoints, as after losing its bridge.
            log.warn("call {}: reading its stored media state failed: {}", callId, e.toString());
            return Optional.empty();
        }
    }

    /**
     * A meeting restored from the store is checked against the bridge before its first use here, under its lock:
     * when the pool member that held the conference still does, this node adopts it and keeps every leg (their
     * endpoints go on carrying media); otherwise the conference went with its bridge, and, as on failover, each
     * browser is asked to restart ICE and offer again, which creates the conference afresh. Then this node claims
     * the stored state by writing it, so that a node that only seemed dead learns at its next write that it lost
     * the call.
     */
    private void settle(CallRecord call, BridgeLegs.Meeting media) {
        if (!media.adoptPending) {
            return;
        }
        media.adoptPending = false;
        CallId callId = call.callId();
        String member = media.bridgeMember;
        if (member != null && adopt(media.meetingId, member)) {
            adoptSides(callId, media);
            BridgeLegs.Events events = events(call);
            media.legs.values().forEach(events::up);
            log.info("call {}: media taken over, {} leg(s) on bridge {} kept", callId, media.legs.size(), member);
        } else {
            expireSides(media);
            for (BridgeLegs.Leg leg : media.legs.values()) {
                media.lostInTakeover.add(leg.subject);
                router.send(leg.subject, new ServerMessage.CallRenegotiate(callId,
                        BridgeLegs.slots(tracksFor(media, leg)), Boolean.TRUE));
            }
            log.info("call {}: media taken over, but its conference is gone from bridge {}; {} participant(s) asked "
                    + "to reconnect", callId, member, media.legs.size());
            media.legs.clear();
        }
        persist(callId, media);
    }

    /** The call's stored meeting, read even after the call ended here; null if none or unreadable. */
    private BridgeLegs.Meeting storedMeeting(CallId callId, MeetingId meetingId) {
        try {
            return store.get(callId).map(s -> BridgeLegs.Meeting.restore(s, "call " + meetingId)).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The bridge member of the call's stored state, read even after the call ended here; null if none. */
    private String storedMember(CallId callId) {
        try {
            return store.get(callId).map(CallMediaState::bridgeMember).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the pool (or the one bridge) still holds the meeting's conference on {@code member}: it is ours now. */
    private boolean adopt(MeetingId meetingId, String member) {
        if (bridge instanceof BridgePool pool) {
            return pool.adopt(meetingId, member);
        }
        if (!bridge.id().equals(member)) {
            return false;
        }
        try {
            bridge.conferenceStats(meetingId);
            return true;
        } catch (BridgeException e) {
            return false;
        }
    }

    /** The pool member holding the meeting's conference now (the one bridge's id outside a pool). */
    private Optional<String> memberOf(MeetingId meetingId) {
        return bridge instanceof BridgePool pool ? pool.ownerOf(meetingId) : Optional.of(bridge.id());
    }

    /**
     * Writes the meeting to the store over the revision this node last wrote or read. False when another node
     * wrote it meanwhile: that node took the call over (this one was taken for dead), so this one forgets it
     * without touching the bridge. A store that fails is logged and the call goes on: the next change writes again.
     * Caller holds the meeting's lock.
     */
    private boolean persist(CallId callId, BridgeLegs.Meeting media) {
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                long expected = media.storedRevision;
                String member = memberOf(media.meetingId).orElse(media.bridgeMember);
                for (CallSide side : media.sides.values()) {
                    side.bridgeMember = memberOf(side.meetingId).orElse(side.bridgeMember);
                }
                CallMediaState next = media.snapshot(callId, nodeId, member, expected + 1);
                if (store.compareAndSet(expected, next)) {
                    media.storedRevision = next.revision();
                    media.bridgeMember = member;
                    return true;
                }
                Optional<CallMediaState> now = store.get(callId);
                if (now.isPresent() && !now.get().node().equals(nodeId)) {
                    movedAway(callId, media, now.get().node());
                    return false;
                }
                // Our own write landed with its reply lost (a timeout), or the store lost its data: write over it.
                media.storedRevision = now.map(CallMediaState::revision).orElse(0L);
            }
            log.warn("call {}: its media state kept changing under this node; not stored this time", callId);
        } catch (RuntimeException e) {
            log.warn("call {}: storing its media state failed: {}", callId, e.toString());
        }
        return true;
    }

    /** Another node holds the call's media now: forgotten here, its conference and endpoints left alone. */
    private void movedAway(CallId callId, BridgeLegs.Meeting media, String holder) {
        log.warn("call {}: node {} took its media over; this node lets it go", callId, holder);
        media.ended = true;
        calls.remove(callId, media);
        connectivity.remove(callId);
        for (BridgeLegs.Leg leg : media.legs.values()) {
            legs.legDown(callId, leg.endpointId);
        }
    }

    /**
     * This node became the call's media node, its former one having died: the stored state is loaded and the
     * conference adopted ({@link #settle}), and the participants are asked to offer again. Those already back
     * offer now; the others are asked when they resume ({@link #resumed}). Their offers carry the same ICE
     * credentials and certificate, so the bridge keeps each endpoint as it is and only the answer's version moves.
     */
    @Override
    public void takeOver(CallRecord call) {
        BridgeLegs.Meeting media = meetingOf(call);
        synchronized (media) {
            if (media.ended) {
                return;
            }
            settle(call, media);
            for (BridgeLegs.Leg leg : media.legs.values()) {
                if (leg.restored) {
                    router.send(leg.subject, new ServerMessage.CallRenegotiate(call.callId(),
                            BridgeLegs.slots(tracksFor(media, leg))));
                }
            }
        }
    }

    /** The transcriber and the call's connectivity hear of the call's legs as they come and go. */
    private BridgeLegs.Events events(CallRecord call) {
        return new BridgeLegs.Events() {
            @Override
            public void up(BridgeLegs.Leg leg) {
                legs.legUp(call, leg.subject, leg.endpointId, leg.conference);
                changeConnectivity(call, c -> c.legUp(leg.subject, leg.endpointId));
            }

            @Override
            public void down(BridgeLegs.Leg leg) {
                legs.legDown(call.callId(), leg.endpointId);
                changeConnectivity(call, c -> c.legDown(leg.subject, leg.endpointId));
            }
        };
    }

    /** The party's WebSocket closed: the others hear at once that they are reconnecting. */
    @Override
    public void away(CallRecord call, Subject subject) {
        changeConnectivity(call, c -> c.away(subject));
    }

    /** The party is back on a new connection; the others hear it once their media flows again, too. */
    @Override
    public void resumed(CallRecord call, Subject subject) {
        changeConnectivity(call, c -> c.back(subject));
        BridgeLegs.Meeting media = calls.get(call.callId());
        if (media == null) {
            return;
        }
        synchronized (media) {
            if (media.ended) {
                return;
            }
            BridgeLegs.Leg leg = media.legs.get(subject);
            if (leg != null && leg.restored) {
                // Taken over while they were away: their page keeps its connection, but must hear from this node.
                router.send(subject, new ServerMessage.CallRenegotiate(call.callId(), BridgeLegs.slots(tracksFor(media, leg))));
            } else if (leg == null && media.lostInTakeover.contains(subject)) {
                // Its conference was gone when this node took over: a new leg, on a new ICE session.
                router.send(subject, new ServerMessage.CallRenegotiate(call.callId(),
                        BridgeLegs.slots(tracksFor(media, null)), Boolean.TRUE));
            }
        }
    }

    /** Whether this node holds the call a meeting is: the bridge pool reads the media of those only. */
    public boolean holds(MeetingId meetingId) {
        return CallMeetings.callOf(meetingId).map(calls::containsKey).orElse(false);
    }

    /** What the bridges said of the media of calls' legs: a party whose media stopped is reconnecting. */
    public void mediaChanged(BridgePool.MediaChanges report) {
        for (EndpointMedia e : report.changes()) {
            CallConnectivity c = CallMeetings.callOf(e.meetingId()).map(connectivity::get).orElse(null);
            if (c != null) {
                synchronized (c) {
                    c.media(e.endpointId(), e.flow(), report.round()).ifPresent(change -> tell(c.call(), change));
                }
            }
        }
    }

    /** Applies a change to the call's connectivity and tells the others if a party's status changed. */
    private void changeConnectivity(CallRecord call,
                                    Function<CallConnectivity, Optional<CallConnectivity.Change>> change) {
        if (recentlyEnded.contains(call.callId())) {
            return;
        }
        CallConnectivity c = connectivity.computeIfAbsent(call.callId(), id -> new CallConnectivity(call));
        synchronized (c) {
            c.record(call);
            change.apply(c).ifPresent(changed -> tell(c.call(), changed));
        }
        if (recentlyEnded.contains(call.callId())) {
            connectivity.remove(call.callId(), c); // ended meanwhile: nothing would remove it later
        }
    }

    private void tell(CallRecord call, CallConnectivity.Change change) {
        String role = change.subject().equals(call.customerId()) ? "customer" : "staff";
        log.info("call {}: {} {}", call.callId(), role, change.status().wire());
        var notice = new ServerMessage.CallPeer(call.callId(), role, change.status());
        for (Subject other : call.participants()) {
            if (!other.equals(change.subject())) {
                router.send(other, notice);
            }
        }
    }

    /**
     * A participant left a live call (a supervisor, or the staff member after a transfer): their endpoint
     * is expired and everyone who received their tracks offers again without them.
     */
    @Override
    public void left(CallRecord call, Subject subject) {
        BridgeLegs.Meeting media = calls.get(call.callId());
        if (media == null) {
            return;
        }
        synchronized (media) {
            if (media.ended) {
                return;
            }
            BridgeLegs.Leg leg = core.drop(media, subject, events(call));
            if (leg != null) {
                syncRelays(call.callId(), media);
                persist(call.callId(), media);
                renegotiateOthers(call.callId(), media, leg);
            }
        }
        CallConnectivity c = connectivity.get(call.callId());
        if (c != null) {
            synchronized (c) {
                c.record(call);
                c.forget(subject);
            }
        }
    }

    /**
     * The bridge holding these meetings went down at {@code lostAt} ({@link System#nanoTime()}): every leg
     * created before then is dropped and its browser asked to restart ICE and offer again, which creates the
     * conference and the leg on a healthy bridge. Legs created since (the offer that noticed the loss
     * re-created its own) stay. Runs on a worker thread, never on the thread that noticed.
     */
    public void conferencesLost(Set<MeetingId> meetingIds, long lostAt) {
        Set<CallId> callIds = new LinkedHashSet<>();
        meetingIds.forEach(id -> CallMeetings.callOf(id).ifPresent(callIds::add));
        for (CallId callId : callIds) {
            BridgeLegs.Meeting media = calls.get(callId);
            if (media == null) {
                continue;
            }
            synchronized (media) {
                if (media.ended) {
                    continue;
                }
                Set<MeetingId> gone = dropLostSides(callId, media, meetingIds);
                boolean ownLost = meetingIds.contains(media.meetingId);
                var stale = media.legs.values().stream().filter(l -> gone.contains(l.conference)
                        || ownLost && l.conference.equals(media.meetingId) && l.createdAt < lostAt).toList();
                CallConnectivity c = connectivity.get(callId);
                for (BridgeLegs.Leg leg : stale) {
                    media.legs.remove(leg.subject);
                    legs.legDown(callId, leg.endpointId);
                    if (c != null) {
                        synchronized (c) {
                            c.legDown(leg.subject, leg.endpointId).ifPresent(change -> tell(c.call(), change));
                        }
                    }
                    router.send(leg.subject, new ServerMessage.CallRenegotiate(callId,
                            BridgeLegs.slots(tracksFor(media, leg)), Boolean.TRUE));
                }
                if (!stale.isEmpty() || !gone.isEmpty()) {
                    syncRelays(callId, media);
                    persist(callId, media);
                    log.info("call {}: its bridge went down; {} participant(s) asked to reconnect", callId, stale.size());
                }
            }
        }
    }

    /**
     * The sides gone with a lost bridge: every side when the call's own conference was lost (their relays led to it;
     * those still up are expired), else the lost ones, whose relays are expired on the call's conference. Caller holds
     * the meeting's lock.
     *
     * @return the meeting ids of the sides dropped
     */
    private Set<MeetingId> dropLostSides(CallId callId, BridgeLegs.Meeting media, Set<MeetingId> lost) {
        Set<MeetingId> gone = new HashSet<>();
        boolean ownLost = lost.contains(media.meetingId);
        for (var it = media.sides.values().iterator(); it.hasNext(); ) {
            CallSide side = it.next();
            if (ownLost) {
                if (!lost.contains(side.meetingId)) {
                    expireQuietly(side.meetingId);
                }
            } else if (lost.contains(side.meetingId)) {
                side.relay.closeFirstSide(bridge);
            } else {
                continue;
            }
            it.remove();
            gone.add(side.meetingId);
            log.warn("call {}: its conference in region {} dropped ({})", callId, side.region,
                    ownLost ? "the call's own conference was lost" : "its bridge went down");
        }
        return gone;
    }

    /**
     * Which conference the participant's leg goes on ({@link CallPlacement}): the one their leg is on, else the call's,
     * or a side in their region, opened here if need be. Caller holds the meeting's lock.
     */
    private MeetingId conferenceFor(CallId callId, BridgeLegs.Meeting media, Subject subject, String region) {
        BridgeLegs.Leg existing = media.legs.get(subject);
        if (existing != null && (existing.conference.equals(media.meetingId)
                || media.sides.containsKey(existing.conference))) {
            return existing.conference;
        }
        Map<MeetingId, String> sides = new LinkedHashMap<>();
        media.sides.values().forEach(side -> sides.put(side.meetingId, side.region));
        boolean ownExists = !(bridge instanceof BridgePool pool) || pool.ownerOf(media.meetingId).isPresent();
        CallPlacement.Placement placement = CallPlacement.place(media.region, region, ownExists, sides,
                r -> spread.takesConferenceIn(r, conferencesOf(media)));
        if (placement instanceof CallPlacement.Placement.OnSide on) {
            return on.meetingId();
        }
        if (placement instanceof CallPlacement.Placement.NewSide side) {
            return openSide(callId, media, side.region());
        }
        return media.meetingId;
    }

    /**
     * Opens a side of the call on a bridge of {@code region}: its conference, joined to the call's by a relay that
     * lists the call's participants there ({@link CarrierRelay}). The call's conference if that fails.
     */
    private MeetingId openSide(CallId callId, BridgeLegs.Meeting media, String region) {
        int number = ++media.sidesCreated;
        MeetingId sideId = CallMeetings.meetingOf(callId, number);
        List<Media> medias = media.legs.values().stream()
                .filter(l -> !l.medias.isEmpty()).findFirst().map(l -> l.medias).orElse(List.of());
        try {
            CarrierRelay relay = CarrierRelay.open(bridge, spread, conferencesOf(media), region, media.meetingId,
                    sideId, number, media.meetingId.value(), media.endpointsOn(media.meetingId), medias);
            media.sides.put(sideId, new CallSide(sideId, region, number, relay));
            log.info("call {}: a participant in region {}: conference {} on bridge {}, joined by a relay to the call's "
                    + "on bridge {} (region {})", callId, region, sideId, memberOf(sideId).orElse("?"),
                    memberOf(media.meetingId).orElse("?"), media.region);
            return sideId;
        } catch (BridgeException | RuntimeException e) {
            log.warn("call {}: opening a conference in region {} failed ({}); the participant joins the call's "
                    + "conference", callId, region, e.toString());
            return media.meetingId;
        }
    }

    /** The call's conferences: its own and its sides. */
    private static List<MeetingId> conferencesOf(BridgeLegs.Meeting media) {
        List<MeetingId> out = new ArrayList<>();
        out.add(media.meetingId);
        out.addAll(media.sides.keySet());
        return out;
    }

    /**
     * Lists on each side's relay the call's participants on the other end: on the side, those of the call's own
     * conference; on the call's, those of the side. A failure is logged: the next change lists again.
     */
    private void syncRelays(CallId callId, BridgeLegs.Meeting media) {
        for (CallSide side : media.sides.values()) {
            try {
                side.relay.sync(bridge, media.endpointsOn(media.meetingId));
                side.relay.syncFirstSide(bridge, media.endpointsOn(side.meetingId));
            } catch (BridgeException e) {
                log.warn("call {}: updating the relay to its conference in region {} failed: {}", callId, side.region,
                        e.toString());
            }
        }
    }

    /**
     * After adopting the call's own conference on takeover: each side is adopted on the member that held it, or, when
     * it is gone, dropped with its relay and its participants asked to reconnect (as on failover).
     */
    private void adoptSides(CallId callId, BridgeLegs.Meeting media) {
        for (var it = media.sides.values().iterator(); it.hasNext(); ) {
            CallSide side = it.next();
            if (side.bridgeMember != null && adopt(side.meetingId, side.bridgeMember)) {
                continue;
            }
            it.remove();
            side.relay.closeFirstSide(bridge);
            for (BridgeLegs.Leg leg : List.copyOf(media.legs.values())) {
                if (leg.conference.equals(side.meetingId)) {
                    media.legs.remove(leg.subject);
                    media.lostInTakeover.add(leg.subject);
                    router.send(leg.subject, new ServerMessage.CallRenegotiate(callId,
                            BridgeLegs.slots(tracksFor(media, leg)), Boolean.TRUE));
                }
            }
            log.info("call {}: its conference in region {} is gone from bridge {}; its participants asked to reconnect",
                    callId, side.region, side.bridgeMember);
        }
    }

    /** Expires every side of the call (adopted first when another node placed it), and forgets them. */
    private void expireSides(BridgeLegs.Meeting media) {
        for (CallSide side : media.sides.values()) {
            if (side.bridgeMember != null && memberOf(side.meetingId).isEmpty()) {
                adopt(side.meetingId, side.bridgeMember);
            }
            expireQuietly(side.meetingId);
        }
        media.sides.clear();
    }

    private void expireQuietly(MeetingId meetingId) {
        try {
            bridge.expire(meetingId);
        } catch (BridgeException e) {
            log.debug("expiring conference {} failed: {}", meetingId, e.toString());
        }
    }

    /** Tells every leg other than {@code changed} whose tracks to receive changed to offer again. */
    private void renegotiateOthers(CallId callId, BridgeLegs.Meeting media, BridgeLegs.Leg changed) {
        BridgeLegs.renegotiateOthers(media, changed, other -> tracksFor(media, other),
                (other, slots) -> router.send(other.subject, new ServerMessage.CallRenegotiate(callId, slots)));
    }

    /** The tracks a leg should receive: every other leg's audio and video, in order of joining. */
    private static List<ForwardedTrack> tracksFor(BridgeLegs.Meeting media, BridgeLegs.Leg leg) {
        List<ForwardedTrack> out = new ArrayList<>();
        for (BridgeLegs.Leg other : media.legs.values()) {
            if (other != leg) {
                out.addAll(other.tracks);
            }
        }
        return out;
    }

    /** The role part of a leg's endpoint id: it labels the speaker downstream (the transcript says who spoke). */
    private enum LegRole {
        CUSTOMER, STAFF, SUPERVISOR;

        static LegRole of(CallRecord call, Subject subject) {
            if (subject.equals(call.customerId())) {
                return CUSTOMER;
            }
            return call.isSupervisor(subject) ? SUPERVISOR : STAFF;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Expires the call's conference and every endpoint in it. */
    @Override
    public void ended(CallRecord call) {
        recentlyEnded.add(call.callId()); // before the state goes, so a late signal cannot slip between
        connectivity.remove(call.callId());
        BridgeLegs.Meeting media = calls.remove(call.callId());
        MeetingId meetingId = CallMeetings.meetingOf(call.callId());
        // Taken over and ended before this node touched its conference: adopted first, so it can be expired.
        String unsettled = media == null ? storedMember(call.callId())
                : media.adoptPending ? media.bridgeMember : null;
        if (unsettled != null && memberOf(meetingId).isEmpty()) {
            adopt(meetingId, unsettled);
        }
        // Sides first: each goes with its relay, and the call's conference's relays with it.
        BridgeLegs.Meeting sides = media != null ? media : storedMeeting(call.callId(), meetingId);
        if (sides != null) {
            synchronized (sides) {
                expireSides(sides);
            }
        }
        core.end(meetingId, media, events(call));
        try {
            store.remove(call.callId());
        } catch (RuntimeException e) {
            log.warn("call {}: removing its stored media state failed (it expires): {}", call.callId(), e.toString());
        }
    }
}
