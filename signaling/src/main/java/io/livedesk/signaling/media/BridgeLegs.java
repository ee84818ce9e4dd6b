package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.bridge.BridgeCodecPolicy;
import io.livedesk.media.bridge.BridgeSdp;
import io.livedesk.media.sdp.AnswerBuilder;
import io.livedesk.media.sdp.AnswerIntent;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.Origin;
import io.livedesk.media.sdp.SdpNegotiationException;
import io.livedesk.media.sdp.SdpParseException;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SdpWriter;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What bridged calls ({@link BridgeNegotiator}) and livestreams ({@link BridgeBroadcastMedia}) share: one
 * conference on the bridge per meeting, one leg (an endpoint) per browser, and only browsers offer. This
 * reads a browser's offer, keeps its leg's endpoint up to date with it, answers it from the leg's bridge
 * transport with the tracks the leg should receive (one per section, in the order given), and tells the
 * other legs to offer again when what they should receive changed. Who receives what, the messages
 * that carry answers and requests to offer again, and when a meeting ends are the callers' business.
 *
 * <p>Not thread-safe on its own: callers hold the {@link Meeting}'s lock around every call about it.
 */
final class BridgeLegs {
    private static final Logger log = LoggerFactory.getLogger(BridgeLegs.class);

    private final Bridge bridge;
    private final SdpParser parser = new SdpParser();
    private final SdpWriter writer = new SdpWriter();
    private final AnswerBuilder answers = new AnswerBuilder(BridgeCodecPolicy.forForwarding());
    private final SecureRandom random = new SecureRandom();

    BridgeLegs(Bridge bridge) {
        this.bridge = bridge;
    }

    /** How a leg uses its endpoint. */
    enum Mode {
        /** Sends its own tracks and receives others': sections carrying a track are answered sendrecv, the rest recvonly. */
        PARTICIPANT,
        /**
         * Receives only (a livestream viewer): its endpoint declares no sources, so the bridge forwards nothing
         * it sends, and every section is answered sendonly (carrying a track) or inactive, never receiving.
         */
        VIEWER;

        AnswerIntent carrying(ForwardedTrack track) {
            return this == VIEWER ? AnswerIntent.sendOnly(track) : AnswerIntent.sendReceive(track);
        }

        AnswerIntent idle() {
            return this == VIEWER ? AnswerIntent.inactive() : AnswerIntent.receiveOnly();
        }

        List<MediaSource> sources(Offer offer) {
            return this == VIEWER ? List.of() : offer.sources();
        }
    }

    /** Told of endpoints created and dropped (what the transcriber follows for calls). */
    interface Events {
        Events NONE = new Events() {
            @Override
            public void up(Leg leg) {
            }

            @Override
            public void down(Leg leg) {
            }
        };

        /** The leg's endpoint was created on the bridge (its first offer, or a new page's). */
        void up(Leg leg);

        /** The leg's endpoint was expired or forgotten. */
        void down(Leg leg);
    }

    /** One browser's leg: its endpoint on the bridge and what was negotiated on it. Guarded by its meeting's lock. */
    static final class Leg {
        final String endpointId;
        final Subject subject;
        final String sessionId;
        /**
         * The conference its endpoint is in: its meeting's own, or (a call with participants in two regions) a
         * further conference of the meeting on a bridge of this leg's region, joined to the first by a relay.
         */
        final MeetingId conference;
        /** When its endpoint was created ({@link System#nanoTime()}), to tell it from a bridge lost before. */
        final long createdAt = System.nanoTime();
        Mode mode;
        String ufrag;
        /** The browser's certificate fingerprint: the same one with new ICE credentials is an ICE restart. */
        String fingerprint;
        TransportDescription bridgeSide;
        /** This leg's own tracks as others receive them, from its last offer; none for a viewer. */
        List<ForwardedTrack> tracks = List.of();
        /** The sources its endpoint declares, from its last offer (none for a viewer): what a relay lists of it. */
        List<MediaSource> sources = List.of();
        /** The codecs and header extensions negotiated with it, from its last offer. */
        List<Media> medias = List.of();
        /** The tracks of the other legs that the last answer to this leg carried. */
        List<ForwardedTrack> answeredWith = List.of();
        /** The height the browser shows video at ({@code broadcast.view}); 0 when it did not say. */
        int maxVideoHeight;
        long version;
        /**
         * Rebuilt from the stored state by a node that took the call over, and not answered since: its browser
         * should offer again (same ufrag and certificate: a no-op on the bridge) to hear from the new node.
         */
        boolean restored;

        private Leg(String endpointId, Subject subject, String sessionId, MeetingId conference) {
            this.endpointId = endpointId;
            this.subject = subject;
            this.sessionId = sessionId;
            this.conference = conference;
        }
    }

    /** One conference's legs, in order of joining. Callers synchronise on it. */
    static final class Meeting {
        final MeetingId meetingId;
        /** How logs name the meeting ({@code call r-…}); the bridge gets {@link ConferenceNames#of} instead. */
        final String name;
        final Map<Subject, Leg> legs = new LinkedHashMap<>();
        /** Numbers endpoint ids per label, so a replaced leg never reuses an id the bridge may still hold. */
        private final Map<String, Integer> endpointsCreated = new HashMap<>();
        boolean ended;
        /** The revision of the stored state ({@link CallMediaStore}) this node last wrote or restored; 0: none. */
        long storedRevision;
        /** The pool member holding the conference, as last stored; null before there is one. */
        String bridgeMember;
        /**
         * The region its conference is wanted in (a bridge pool prefers a member there when it creates it): a call's
         * first participant's; null for anywhere.
         */
        String region;
        /**
         * A call's further conferences by meeting id, each on a bridge of another region and joined to this meeting's
         * by a relay ({@code BridgeNegotiator}); empty for most calls and for broadcasts (which keep their carriers).
         */
        final Map<MeetingId, CallSide> sides = new LinkedHashMap<>();
        /** Numbers further conferences, never reused: a dropped one's conference may linger on its bridge. */
        int sidesCreated = 1;
        /** Restored from the store and not yet checked against the bridge (see {@code BridgeNegotiator#settle}). */
        boolean adoptPending;
        /**
         * Whose legs were lost with the conference when this node took the call over, and who have not offered
         * since: asked to restart ICE when they resume (the ask at takeover missed those not back yet).
         */
        final Set<Subject> lostInTakeover = new HashSet<>();

        Meeting(MeetingId meetingId, String name) {
            this.meetingId = meetingId;
            this.name = name;
        }

        /** {@code label-n}, counted per label from 1; the first is plain {@code label} when {@code firstPlain}. */
        String nextEndpointId(String label, boolean firstPlain) {
            int n = endpointsCreated.merge(label, 1, Integer::sum);
            return firstPlain && n == 1 ? label : label + "-" + n;
        }

        /** The meeting as stored ({@link CallMediaStore}), at {@code revision}, written by {@code node}. */
        CallMediaState snapshot(CallId callId, String node, String bridgeMember, long revision) {
            List<CallMediaState.LegState> out = new ArrayList<>();
            for (Leg l : legs.values()) {
                out.add(new CallMediaState.LegState(l.endpointId, l.subject, l.mode, l.sessionId, l.version, l.ufrag,
                        l.fingerprint, l.bridgeSide, l.maxVideoHeight, l.tracks, l.answeredWith,
                        l.conference.equals(meetingId) ? null : l.conference.value()));
            }
            List<CallMediaState.SideState> sideStates = new ArrayList<>();
            sides.values().forEach(side -> sideStates.add(side.state()));
            return new CallMediaState(callId, meetingId.value(), node, bridgeMember, revision, endpointsCreated, out,
                    region, sideStates, sidesCreated);
        }

        /** The endpoints on {@code conference} with the sources they declare: what a relay lists of them. */
        Map<String, List<MediaSource>> endpointsOn(MeetingId conference) {
            Map<String, List<MediaSource>> out = new LinkedHashMap<>();
            for (Leg leg : legs.values()) {
                if (leg.conference.equals(conference) && leg.mode == Mode.PARTICIPANT) {
                    out.put(leg.endpointId, leg.sources);
                }
            }
            return out;
        }

        /**
         * The meeting another node stored, to go on from on this one: the same endpoints, transports, SDP sessions
         * and endpoint numbering. Every leg is marked {@link Leg#restored}.
         */
        static Meeting restore(CallMediaState state, String name) {
            Meeting meeting = new Meeting(new MeetingId(state.meetingId()), name);
            meeting.endpointsCreated.putAll(state.endpointsCreated());
            for (CallMediaState.LegState s : state.legs()) {
                Leg leg = new Leg(s.endpointId(), s.subject(), s.sessionId(),
                        s.conference() == null ? meeting.meetingId : new MeetingId(s.conference()));
                leg.mode = s.mode();
                leg.ufrag = s.ufrag();
                leg.fingerprint = s.fingerprint();
                leg.bridgeSide = s.bridgeSide();
                leg.tracks = s.tracks();
                leg.answeredWith = s.answeredWith();
                leg.maxVideoHeight = s.maxVideoHeight();
                leg.version = s.version();
                leg.restored = true;
                meeting.legs.put(s.subject(), leg);
            }
            meeting.storedRevision = state.revision();
            meeting.bridgeMember = state.bridgeMember();
            meeting.region = state.region();
            meeting.sidesCreated = Math.max(1, state.sidesCreated());
            for (CallMediaState.SideState side : state.sides()) {
                meeting.sides.put(new MeetingId(side.meetingId()), CallSide.restore(meeting.meetingId, side));
            }
            meeting.adoptPending = true;
            return meeting;
        }
    }

    /** A browser's offer and what the bridge needs of it. */
    record Offer(SessionDescription sdp, TransportDescription transport, List<MediaSource> sources, List<Media> medias) {
    }

    /** The answer to one leg's offer (SDP text), with the tracks it carries out of those the leg should receive. */
    record Answer(String sdp, List<ForwardedTrack> incoming, List<ForwardedTrack> carried) {
        /** Too few sections in the offer for every track: the browser should offer again, with more. */
        boolean missesTracks() {
            return carried.size() < incoming.size();
        }
    }

    /** @throws ProtocolException {@code bad_sdp} for anything but an offer the bridge can use */
    Offer read(ClientMessage.Sdp sdp) {
        if (sdp.kind() != ClientMessage.SdpType.OFFER) {
            throw new ProtocolException(ErrorCode.BAD_SDP, "with a media bridge the server answers: send offers only");
        }
        try {
            SessionDescription offer = parser.parse(sdp.sdp());
            // The bridge is told what the answer will negotiate, never more than the browser is answered.
            return new Offer(offer, BridgeSdp.transport(offer), BridgeSdp.sources(offer),
                    BridgeSdp.medias(answers.negotiatedSections(offer)));
        } catch (SdpParseException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, "the SDP could not be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        }
    }

    /**
     * The subject's leg with its endpoint on the bridge up to date with {@code offer}: created on the first
     * offer, replaced when the browser's ICE credentials changed, re-created when the bridge lost it; its
     * sources are the offer's, or none for a viewer (a leg may change mode, e.g. a viewer called on stage).
     *
     * @param newEndpointId names an endpoint to create
     * @param streamId      the stream id the others receive the leg's tracks under, or null for the browser's own
     * @throws ProtocolException {@code bad_sdp} when the bridge refuses the offer, {@code unavailable} when
     *         it does not answer
     */
    Leg legFor(Meeting meeting, Subject subject, Offer offer, Mode mode, Supplier<String> newEndpointId,
               Events events, String streamId) {
        return legFor(meeting, meeting.meetingId, subject, offer, mode, newEndpointId, events, streamId);
    }

    /**
     * As {@link #legFor(Meeting, Subject, Offer, Mode, Supplier, Events, String)}, with the leg's endpoint on
     * {@code conference} (the meeting's own or one of its sides); a leg on another conference gets a new endpoint
     * there. Only the meeting's own conference is created here when missing; a side is created with its relay.
     */
    Leg legFor(Meeting meeting, MeetingId conference, Subject subject, Offer offer, Mode mode,
               Supplier<String> newEndpointId, Events events, String streamId) {
        Leg leg = meeting.legs.get(subject);
        if (leg != null && !leg.conference.equals(conference)) {
            // Placed elsewhere now (its side went with its bridge, say): a fresh endpoint there.
            expireEndpoint(leg.conference, meeting, leg.endpointId);
            meeting.legs.remove(subject);
            events.down(leg);
            leg = null;
        }
        // An ICE restart updates the endpoint with the whole offer already: nothing more to tell the bridge.
        boolean restarted = false;
        if (leg != null && !leg.ufrag.equals(offer.transport().ufrag())) {
            restarted = restartIce(meeting, leg, offer, mode);
            if (!restarted) {
                // A new page (a new certificate), or a bridge that cannot restart ICE: a fresh endpoint.
                expireEndpoint(leg.conference, meeting, leg.endpointId);
                meeting.legs.remove(subject);
                events.down(leg);
                leg = null;
            }
        }
        Leg before = leg;
        try {
            if (!restarted) {
                leg = connect(meeting, conference, leg, leg != null ? leg.endpointId : newEndpointId.get(), subject,
                        offer, mode);
            }
        } catch (BridgeException.BadRequest e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        } catch (BridgeException e) {
            log.warn("bridge {} failed for {}: {}", bridge.id(), meeting.name, e.toString());
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the media bridge is unavailable; retry");
        }
        meeting.legs.put(subject, leg);
        leg.mode = mode;
        leg.tracks = mode == Mode.VIEWER ? List.of() : ownTracks(offer.sdp(), streamId);
        leg.sources = List.copyOf(mode.sources(offer));
        leg.medias = List.copyOf(offer.medias());
        if (leg != before) {
            if (before != null) {
                events.down(before); // the bridge had expired it
            }
            events.up(leg);
        }
        return leg;
    }

    private static List<ForwardedTrack> ownTracks(SessionDescription offer, String streamId) {
        List<ForwardedTrack> out = new ArrayList<>();
        for (MediaType kind : MediaType.values()) {
            BridgeSdp.track(offer, kind)
                    .map(t -> streamId == null ? t
                            : new ForwardedTrack(t.kind(), streamId, t.trackId(), t.cname(), t.ssrc(), t.rtxSsrc()))
                    .ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * Answers the leg's offer from its bridge transport with as many of {@code incoming} (in that order) as
     * it has sections for, each on the next section of its kind the browser can receive on.
     *
     * @throws ProtocolException {@code bad_sdp} for an offer that cannot be answered
     */
    Answer answer(Leg leg, Offer offer, List<ForwardedTrack> incoming) {
        Map<String, AnswerIntent> intents = new HashMap<>();
        List<ForwardedTrack> carried = assign(offer.sdp(), incoming, leg.mode, intents);
        SessionDescription answer;
        try {
            answer = answers.answer(offer.sdp(), Origin.of(leg.sessionId, ++leg.version), BridgeSdp.local(leg.bridgeSide),
                    intents, leg.mode.idle());
        } catch (SdpNegotiationException | IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        }
        leg.answeredWith = carried;
        leg.restored = false;
        return new Answer(writer.write(answer), incoming, carried);
    }

    /**
     * Puts each incoming track on the next section of its kind in the offer (in section order) that the
     * browser receives on; sections left without a track get the mode's idle intent. Returns the tracks
     * that found a section, in the order of {@code incoming}.
     */
    private static List<ForwardedTrack> assign(SessionDescription offer, List<ForwardedTrack> incoming, Mode mode,
                                               Map<String, AnswerIntent> intents) {
        List<ForwardedTrack> carried = new ArrayList<>();
        for (MediaType kind : MediaType.values()) {
            Iterator<ForwardedTrack> tracks = incoming.stream().filter(t -> t.kind() == kind).iterator();
            for (MediaSection m : offer.media()) {
                if (!tracks.hasNext()) {
                    break;
                }
                if (m.mid() != null && !m.isRejected() && m.direction().receives()
                        && BridgeSdp.kind(m).filter(kind::equals).isPresent()) {
                    ForwardedTrack track = tracks.next();
                    intents.put(m.mid(), mode.carrying(track));
                    carried.add(track);
                }
            }
        }
        carried.sort(Comparator.comparingInt(incoming::indexOf));
        return carried;
    }

    /**
     * Asks every leg other than {@code changed} whose tracks to receive ({@code wanted}) differ from those
     * its last answer carried to offer again, with how many of each kind are coming.
     */
    static void renegotiateOthers(Meeting meeting, Leg changed, Function<Leg, List<ForwardedTrack>> wanted,
                                  BiConsumer<Leg, ServerMessage.ReceiveSlots> ask) {
        for (Leg other : meeting.legs.values()) {
            if (other == changed) {
                continue;
            }
            List<ForwardedTrack> want = wanted.apply(other);
            if (!want.equals(other.answeredWith)) {
                ask.accept(other, slots(want));
            }
        }
    }

    /** How many tracks of each kind a browser should offer receiving sections for. */
    static ServerMessage.ReceiveSlots slots(List<ForwardedTrack> tracks) {
        int audio = (int) tracks.stream().filter(t -> t.kind() == MediaType.AUDIO).count();
        return new ServerMessage.ReceiveSlots(audio, tracks.size() - audio);
    }

    /** Takes the subject's leg out of the meeting and expires its endpoint; null if it had none. */
    Leg drop(Meeting meeting, Subject subject, Events events) {
        Leg leg = meeting.legs.remove(subject);
        if (leg != null) {
            expireEndpoint(leg.conference, meeting, leg.endpointId);
            events.down(leg);
        }
        return leg;
    }

    /**
     * The meeting ended: its legs are forgotten and its conference (with every endpoint) expired.
     *
     * @param meeting its legs here, or null when this node holds none (the conference is expired anyway)
     */
    void end(MeetingId meetingId, Meeting meeting, Events events) {
        if (meeting != null) {
            synchronized (meeting) {
                meeting.ended = true;
                meeting.legs.values().forEach(events::down);
            }
        }
        try {
            bridge.expire(meetingId);
        } catch (BridgeException e) {
            log.warn("{}: expiring its conference failed: {}", meeting == null ? meetingId : meeting.name, e.toString());
        }
    }

    /** Creates the leg's endpoint (and the conference, if need be) or updates its transport and sources. */
    private Leg connect(Meeting meeting, MeetingId meetingId, Leg leg, String endpointId, Subject subject, Offer offer,
                        Mode mode) throws BridgeException {
        List<MediaSource> sources = mode.sources(offer);
        if (leg != null) {
            try {
                bridge.apply(ConferenceRequest.modifying(meetingId).endpoint(EndpointRequest.updating(endpointId)
                        .medias(offer.medias()).remoteTransport(offer.transport()).sources(sources)).build());
                return leg;
            } catch (BridgeException.NotFound e) {
                // The bridge expired it (ICE failed, or no media for too long): start the leg afresh.
                log.info("{}: endpoint {} was gone from the bridge; creating it again", meeting.name, endpointId);
            }
        }
        EndpointRequest.Builder creating = EndpointRequest.creating(endpointId).statsId(endpointId)
                .medias(offer.medias()).remoteTransport(offer.transport()).sources(sources);
        if (leg != null && leg.maxVideoHeight > 0) {
            creating.maxVideoHeight(leg.maxVideoHeight); // the bridge lost the endpoint, not what the page shows
        }
        EndpointRequest create = creating.build();
        ConferenceReply reply;
        try {
            reply = bridge.apply(ConferenceRequest.modifying(meetingId).endpoint(create).build());
        } catch (BridgeException.NotFound e) {
            if (!meetingId.equals(meeting.meetingId)) {
                throw e; // a side is created with its relay, never bare
            }
            ConferenceRequest conference = ConferenceRequest.creating(meetingId).name(ConferenceNames.of(meetingId))
                    .endpoint(create).build();
            reply = bridge instanceof BridgePool pool ? pool.apply(conference, meeting.region) : bridge.apply(conference);
        }
        Leg fresh = new Leg(endpointId, subject, Long.toString(random.nextLong() & Long.MAX_VALUE), meetingId);
        fresh.ufrag = offer.transport().ufrag();
        fresh.fingerprint = fingerprintOf(offer.transport());
        fresh.bridgeSide = reply.endpoints().get(0).transport();
        return fresh;
    }

    /**
     * The browser restarted ICE on the same page (same certificate, new credentials: a network change, or the
     * page's own restart): the bridge restarts ICE on the leg's endpoint, whose DTLS and SRTP go on, and answers
     * with new credentials. False when it cannot (then the leg gets a new endpoint).
     */
    private boolean restartIce(Meeting meeting, Leg leg, Offer offer, Mode mode) {
        if (leg.fingerprint == null || !leg.fingerprint.equalsIgnoreCase(fingerprintOf(offer.transport()))) {
            return false;
        }
        try {
            ConferenceReply reply = bridge.apply(ConferenceRequest.modifying(leg.conference).endpoint(
                    EndpointRequest.updating(leg.endpointId).medias(offer.medias()).remoteTransport(offer.transport())
                            .sources(mode.sources(offer))).build());
            TransportDescription restarted = reply.endpoints().isEmpty() ? null : reply.endpoints().get(0).transport();
            if (restarted == null) {
                return false;
            }
            leg.bridgeSide = restarted;
            leg.ufrag = offer.transport().ufrag();
            log.info("{}: ICE restarted on endpoint {}", meeting.name, leg.endpointId);
            return true;
        } catch (BridgeException e) {
            log.info("{}: endpoint {} cannot restart ICE ({}); creating a new one", meeting.name, leg.endpointId,
                    e.getMessage());
            return false;
        }
    }

    /**
     * The browser shows video at {@code maxHeight} pixels (0: no limit): the bridge gives it simulcast layers no
     * taller than needed. Remembered on the leg for an endpoint created again. A bridge that fails keeps the
     * previous cap; the next view report tries again.
     */
    void view(Meeting meeting, Leg leg, int maxHeight) {
        if (leg.maxVideoHeight == maxHeight) {
            return;
        }
        try {
            bridge.apply(ConferenceRequest.modifying(leg.conference)
                    .endpoint(EndpointRequest.updating(leg.endpointId).maxVideoHeight(maxHeight)).build());
            leg.maxVideoHeight = maxHeight;
        } catch (BridgeException e) {
            log.info("{}: endpoint {} took no view size: {}", meeting.name, leg.endpointId, e.toString());
        }
    }

    private static String fingerprintOf(TransportDescription transport) {
        return transport.fingerprints().isEmpty() ? null : transport.fingerprints().get(0).fingerprint();
    }

    private void expireEndpoint(MeetingId conference, Meeting meeting, String endpointId) {
        try {
            bridge.apply(ConferenceRequest.modifying(conference).endpoint(EndpointRequest.expiring(endpointId)).build());
        } catch (BridgeException.NotFound e) {
            // already gone
        } catch (BridgeException e) {
            log.warn("{}: expiring endpoint {} failed: {}", meeting.name, endpointId, e.toString());
        }
    }
}
