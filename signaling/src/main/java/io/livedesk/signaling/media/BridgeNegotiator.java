package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
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
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls through a media bridge: each participant's browser (customer, staff member, supervisors) holds
 * one RTCPeerConnection to the bridge (one endpoint of the call's conference, meeting id = call id). Only
 * browsers make offers; this class answers each one from the participant's bridge transport and the
 * other participants' tracks (one per section, in order of joining), and when those change (someone
 * joins, leaves or changes sources) it sends {@code call.renegotiate}, with how many tracks of each kind
 * are coming, so the browser offers again. No glare: the server never offers.
 *
 * <p>The conference and its endpoints are created lazily, by the first offer of each party. The legs'
 * state lives here, on the node that answered the call ({@code CallRecord.mediaNode}); other nodes hand
 * the call's signals to it (see {@code CallService}).
 * Trickled ICE candidates are not passed on: the Bridge API takes a transport's candidates only once
 * (with its credentials), so the bridge uses the candidates in the offer and learns peer-reflexive ones
 * from the browser's connectivity checks.
 *
 * <p>Runs on worker threads (and on the timer or shutdown thread for {@link #ended}); the bridge calls of
 * one call are serialised.
 */
public final class BridgeNegotiator implements MediaNegotiator {
    private static final Logger log = LoggerFactory.getLogger(BridgeNegotiator.class);
    public static final String MODE = "bridge";
    static final String FROM = "bridge";

    private final Bridge bridge;
    private final MessageRouter router;
    private final List<Map<String, Object>> iceServers;
    private final SdpParser parser = new SdpParser();
    private final SdpWriter writer = new SdpWriter();
    private final AnswerBuilder answers = new AnswerBuilder(BridgeCodecPolicy.forForwarding());
    private final SecureRandom random = new SecureRandom();
    private final Map<CallId, CallMedia> calls = new ConcurrentHashMap<>();
    /**
     * Calls that ended here lately. A signal read its call as live just before the end may arrive after
     * {@link #ended} dropped the call's state; without this it would build the conference again, and
     * nothing would ever expire it. Call ids are never reused, so a bounded memory is enough.
     */
    private final Set<CallId> recentlyEnded = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CallId, Boolean> eldest) {
            return size() > RECENTLY_ENDED_KEPT;
        }
    });
    private static final int RECENTLY_ENDED_KEPT = 10_000;
    private final LegObserver legs;

    public BridgeNegotiator(Bridge bridge, MessageRouter router, List<Map<String, Object>> iceServers) {
        this(bridge, router, iceServers, LegObserver.NONE);
    }

    /** @param legs told of every leg created and dropped (the transcriber taps their audio) */
    public BridgeNegotiator(Bridge bridge, MessageRouter router, List<Map<String, Object>> iceServers, LegObserver legs) {
        this.bridge = bridge;
        this.router = router;
        this.iceServers = List.copyOf(iceServers);
        this.legs = legs;
    }

    /** One participant's leg: its endpoint on the bridge and what was negotiated on it. */
    private static final class Leg {
        final String endpointId;
        final Subject subject;
        String ufrag;
        TransportDescription bridgeSide;
        SessionDescription lastOffer;
        /** The tracks of the other legs that the last answer to this leg carried. */
        List<ForwardedTrack> answeredWith = List.of();
        final String sessionId;
        long version;
        /** When its endpoint was created ({@link System#nanoTime()}), to tell it from a bridge lost before. */
        final long createdAt = System.nanoTime();

        Leg(String endpointId, Subject subject, String sessionId) {
            this.endpointId = endpointId;
            this.subject = subject;
            this.sessionId = sessionId;
        }
    }

    private static final class CallMedia {
        /** In order of joining: each leg receives the others' tracks in this order. */
        final Map<Subject, Leg> legs = new LinkedHashMap<>();
        /** Numbers endpoint ids per role, so a replaced leg never reuses an id the bridge may still hold. */
        final Map<LegRole, Integer> endpointsCreated = new EnumMap<>(LegRole.class);
        boolean ended;

        String nextEndpointId(LegRole role) {
            int n = endpointsCreated.merge(role, 1, Integer::sum);
            return role == LegRole.CUSTOMER && n == 1 ? role.label() : role.label() + "-" + n;
        }
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
    public boolean nodeLocal() {
        return true;
    }

    @Override
    public void signal(CallRecord call, Subject fromSubject, Role fromRole, ClientMessage.CallSignal signal,
                       Runnable answered) {
        if (signal.candidate() != null) {
            return; // see the class comment: the offer's candidates and peer-reflexive ones suffice
        }
        Offer offer = readOffer(signal.sdp());
        CallMedia media = calls.computeIfAbsent(call.callId(), id -> new CallMedia());
        synchronized (media) {
            if (media.ended || endedHere(call.callId())) {
                calls.remove(call.callId(), media);
                throw new ProtocolException(ErrorCode.INVALID_STATE, "the call has ended");
            }
            Leg leg = legFor(call, media, fromSubject, offer);
            Answer answer = answer(media, leg, offer.sdp());
            answered.run();
            router.send(fromSubject, new ServerMessage.CallSignal(call.callId(), FROM,
                    new ClientMessage.Sdp("answer", writer.write(answer.sdp())), null));
            if (answer.carried().size() < answer.incoming().size()) {
                // Too few sections in this offer for everyone's tracks: ask for another, with more.
                router.send(fromSubject, renegotiate(call.callId(), answer.incoming()));
            }
            renegotiateOthers(call.callId(), media, leg);
        }
    }

    /** A browser's offer and what the bridge needs of it. */
    private record Offer(SessionDescription sdp, TransportDescription transport, List<MediaSource> sources,
                         List<Media> medias) {
    }

    /** The answer to one leg's offer, with the tracks it carries out of those the leg should receive. */
    private record Answer(SessionDescription sdp, List<ForwardedTrack> incoming, List<ForwardedTrack> carried) {
    }

    private Offer readOffer(ClientMessage.Sdp sdp) {
        if (sdp.kind() != ClientMessage.SdpType.OFFER) {
            throw new ProtocolException(ErrorCode.BAD_SDP, "with a media bridge the server answers: send offers only");
        }
        try {
            SessionDescription offer = parser.parse(sdp.sdp());
            return new Offer(offer, BridgeSdp.transport(offer), BridgeSdp.sources(offer), BridgeSdp.medias(offer));
        } catch (SdpParseException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, "the SDP could not be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        }
    }

    /**
     * The participant's leg with its endpoint on the bridge up to date with {@code offer}: created on the
     * first offer, replaced when the browser's ICE credentials changed, re-created when the bridge lost it.
     */
    private Leg legFor(CallRecord call, CallMedia media, Subject subject, Offer offer) {
        Leg leg = media.legs.get(subject);
        if (leg != null && !leg.ufrag.equals(offer.transport().ufrag())) {
            // A new page (or an ICE restart): a fresh endpoint, the bridge does not restart ICE.
            expireEndpoint(call.callId(), leg.endpointId);
            media.legs.remove(subject);
            legs.legDown(call.callId(), leg.endpointId);
            leg = null;
        }
        Leg before = leg;
        try {
            String endpointId = leg != null ? leg.endpointId : media.nextEndpointId(LegRole.of(call, subject));
            leg = connect(call.callId(), leg, endpointId, subject, offer);
        } catch (BridgeException.BadRequest e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        } catch (BridgeException e) {
            log.warn("bridge {} failed for call {}: {}", bridge.id(), call.callId(), e.toString());
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the media bridge is unavailable; retry");
        }
        media.legs.put(subject, leg);
        leg.lastOffer = offer.sdp();
        if (leg != before) {
            if (before != null) {
                legs.legDown(call.callId(), before.endpointId); // the bridge had expired it
            }
            legs.legUp(call, subject, leg.endpointId);
        }
        return leg;
    }

    /** Answers the leg's offer from its bridge transport, with as many of the others' tracks as it has room for. */
    private Answer answer(CallMedia media, Leg leg, SessionDescription offer) {
        List<ForwardedTrack> incoming = tracksFor(media, leg);
        Map<String, AnswerIntent> intents = new HashMap<>();
        List<ForwardedTrack> carried = assign(offer, incoming, intents);
        SessionDescription answer;
        try {
            answer = answers.answer(offer, Origin.of(leg.sessionId, ++leg.version), BridgeSdp.local(leg.bridgeSide),
                    intents);
        } catch (SdpNegotiationException | IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        }
        leg.answeredWith = carried;
        return new Answer(answer, incoming, carried);
    }

    /**
     * A participant left a live call (a supervisor, or the staff member after a transfer): their endpoint
     * is expired and everyone who received their tracks offers again without them.
     */
    @Override
    public void left(CallRecord call, Subject subject) {
        CallMedia media = calls.get(call.callId());
        if (media == null) {
            return;
        }
        synchronized (media) {
            Leg leg = media.legs.remove(subject);
            if (leg == null || media.ended) {
                return;
            }
            expireEndpoint(call.callId(), leg.endpointId);
            legs.legDown(call.callId(), leg.endpointId);
            renegotiateOthers(call.callId(), media, leg);
        }
    }

    /**
     * The bridge holding these meetings went down at {@code lostAt} ({@link System#nanoTime()}): every leg
     * created before then is dropped and its browser asked to restart ICE and offer again, which creates the
     * conference and the leg on a healthy bridge. Legs created since (the offer that noticed the loss
     * re-created its own) stay. Runs on a worker thread, never on the thread that noticed.
     */
    public void conferencesLost(Set<MeetingId> meetingIds, long lostAt) {
        for (MeetingId meetingId : meetingIds) {
            CallId callId = CallMeetings.callOf(meetingId).orElse(null);
            CallMedia media = callId == null ? null : calls.get(callId);
            if (media == null) {
                continue;
            }
            synchronized (media) {
                if (media.ended) {
                    continue;
                }
                var stale = media.legs.values().stream().filter(l -> l.createdAt < lostAt).toList();
                for (Leg leg : stale) {
                    media.legs.remove(leg.subject);
                    legs.legDown(callId, leg.endpointId);
                    router.send(leg.subject, new ServerMessage.CallRenegotiate(callId,
                            renegotiate(callId, tracksFor(media, leg)).receive(), Boolean.TRUE));
                }
                if (!stale.isEmpty()) {
                    log.info("call {}: its bridge went down; {} participant(s) asked to reconnect", meetingId, stale.size());
                }
            }
        }
    }

    /** Tells every leg other than {@code changed} whose tracks to receive changed to offer again. */
    private void renegotiateOthers(CallId callId, CallMedia media, Leg changed) {
        for (Leg other : media.legs.values()) {
            if (other == changed) {
                continue;
            }
            List<ForwardedTrack> want = tracksFor(media, other);
            if (!want.equals(other.answeredWith)) {
                router.send(other.subject, renegotiate(callId, want));
            }
        }
    }

    private static ServerMessage.CallRenegotiate renegotiate(CallId callId, List<ForwardedTrack> tracks) {
        int audio = (int) tracks.stream().filter(t -> t.kind() == MediaType.AUDIO).count();
        return new ServerMessage.CallRenegotiate(callId, new ServerMessage.ReceiveSlots(audio, tracks.size() - audio));
    }

    /** The tracks a leg should receive: every other leg's audio and video, in order of joining. */
    private static List<ForwardedTrack> tracksFor(CallMedia media, Leg leg) {
        List<ForwardedTrack> out = new ArrayList<>();
        for (Leg other : media.legs.values()) {
            if (other == leg) {
                continue;
            }
            for (MediaType kind : MediaType.values()) {
                BridgeSdp.track(other.lastOffer, kind).ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * Puts each incoming track on the next section of its kind in the offer (in section order); a section
     * with no track left is answered receive-only. Returns the tracks that found a section.
     */
    private static List<ForwardedTrack> assign(SessionDescription offer, List<ForwardedTrack> incoming,
                                               Map<String, AnswerIntent> intents) {
        List<ForwardedTrack> carried = new ArrayList<>();
        for (MediaType kind : MediaType.values()) {
            Iterator<ForwardedTrack> tracks = incoming.stream().filter(t -> t.kind() == kind).iterator();
            for (MediaSection m : offer.media()) {
                if (!tracks.hasNext()) {
                    break;
                }
                if (m.mid() != null && !m.isRejected() && BridgeSdp.kind(m).filter(kind::equals).isPresent()) {
                    ForwardedTrack track = tracks.next();
                    intents.put(m.mid(), AnswerIntent.sendReceive(track));
                    carried.add(track);
                }
            }
        }
        carried.sort(java.util.Comparator.comparingInt(incoming::indexOf));
        return carried;
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

    /** Creates the leg's endpoint (and the conference, if need be) or updates its sources. */
    private Leg connect(CallId callId, Leg leg, String endpointId, Subject subject, Offer offer)
            throws BridgeException {
        MeetingId meetingId = CallMeetings.meetingOf(callId);
        if (leg != null) {
            try {
                bridge.apply(ConferenceRequest.modifying(meetingId).endpoint(EndpointRequest.updating(endpointId)
                        .medias(offer.medias()).remoteTransport(offer.transport()).sources(offer.sources())).build());
                return leg;
            } catch (BridgeException.NotFound e) {
                // The bridge expired it (ICE failed, or no media for too long): start the leg afresh.
                log.info("call {}: endpoint {} was gone from the bridge; creating it again", meetingId, endpointId);
            }
        }
        EndpointRequest create = EndpointRequest.creating(endpointId).statsId(endpointId).medias(offer.medias())
                .remoteTransport(offer.transport()).sources(offer.sources()).build();
        ConferenceReply reply;
        try {
            reply = bridge.apply(ConferenceRequest.modifying(meetingId).endpoint(create).build());
        } catch (BridgeException.NotFound e) {
            reply = bridge.apply(ConferenceRequest.creating(meetingId).name("call " + meetingId).endpoint(create).build());
        }
        Leg fresh = new Leg(endpointId, subject, Long.toString(random.nextLong() & Long.MAX_VALUE));
        fresh.ufrag = offer.transport().ufrag();
        fresh.bridgeSide = reply.endpoints().get(0).transport();
        return fresh;
    }

    private void expireEndpoint(CallId callId, String endpointId) {
        MeetingId meetingId = CallMeetings.meetingOf(callId);
        try {
            bridge.apply(ConferenceRequest.modifying(meetingId).endpoint(EndpointRequest.expiring(endpointId)).build());
        } catch (BridgeException.NotFound e) {
            // already gone
        } catch (BridgeException e) {
            log.warn("call {}: expiring endpoint {} failed: {}", meetingId, endpointId, e.toString());
        }
    }

    private boolean endedHere(CallId callId) {
        synchronized (recentlyEnded) {
            return recentlyEnded.contains(callId);
        }
    }

    /** Expires the call's conference and every endpoint in it. */
    @Override
    public void ended(CallRecord call) {
        synchronized (recentlyEnded) {
            recentlyEnded.add(call.callId()); // before the state goes, so a late signal cannot slip between
        }
        CallMedia media = calls.remove(call.callId());
        if (media != null) {
            synchronized (media) {
                media.ended = true;
                for (Leg leg : media.legs.values()) {
                    legs.legDown(call.callId(), leg.endpointId);
                }
            }
        }
        try {
            bridge.expire(CallMeetings.meetingOf(call.callId()));
        } catch (BridgeException e) {
            log.warn("call {}: expiring its conference failed: {}", call.callId(), e.toString());
        }
    }
}
