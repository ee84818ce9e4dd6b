package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.bridge.BridgeCodecPolicy;
import io.livedesk.media.bridge.BridgeSdp;
import io.livedesk.media.sdp.AnswerBuilder;
import io.livedesk.media.sdp.AnswerIntent;
import io.livedesk.media.sdp.MediaKind;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.Origin;
import io.livedesk.media.sdp.SdpNegotiationException;
import io.livedesk.media.sdp.SdpParseException;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SdpWriter;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.cluster.Outbox;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls through a media bridge: each party's browser holds one RTCPeerConnection to the bridge (one
 * endpoint of the call's conference, meeting id = call id). Only browsers make offers; this class
 * answers each one from the party's bridge transport and the other party's sources, and when the other
 * party's sources become known or change it sends {@code call.renegotiate} so the browser offers again.
 * No glare: the server never offers.
 *
 * <p>The conference and its endpoints are created lazily, by the first offer of each party, and live in
 * the bridge of the node that handles that offer (one node per call; see docs/architecture.md).
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
    private final Outbox outbox;
    private final List<Map<String, Object>> iceServers;
    private final SdpParser parser = new SdpParser();
    private final SdpWriter writer = new SdpWriter();
    private final AnswerBuilder answers = new AnswerBuilder(BridgeCodecPolicy.forForwarding());
    private final SecureRandom random = new SecureRandom();
    private final Map<String, CallMedia> calls = new ConcurrentHashMap<>();

    public BridgeNegotiator(Bridge bridge, Outbox outbox, List<Map<String, Object>> iceServers) {
        this.bridge = bridge;
        this.outbox = outbox;
        this.iceServers = List.copyOf(iceServers);
    }

    /** One party's leg: its endpoint on the bridge and what was negotiated on it. */
    private static final class Leg {
        final String endpointId;
        final String subject;
        String ufrag;
        TransportDescription bridgeSide;
        SessionDescription lastOffer;
        List<MediaSource> sources = List.of();
        /** The other party's sources that the last answer to this leg carried. */
        List<MediaSource> answeredWith = List.of();
        final String sessionId;
        long version;

        Leg(String endpointId, String subject, String sessionId) {
            this.endpointId = endpointId;
            this.subject = subject;
            this.sessionId = sessionId;
        }
    }

    private static final class CallMedia {
        final Map<String, Leg> legs = new HashMap<>();
        boolean ended;
    }

    @Override
    public List<Map<String, Object>> iceServersFor(CallRecord call, Role party) {
        return iceServers;
    }

    /** Every party offers its own leg. */
    @Override
    public boolean offers(Role party) {
        return true;
    }

    @Override
    public String mode() {
        return MODE;
    }

    @Override
    public void signal(CallRecord call, String fromSubject, Role fromRole, ClientMessage.CallSignal signal,
                       Runnable answered) {
        if (signal.candidate() != null) {
            return; // see the class comment: the offer's candidates and peer-reflexive ones suffice
        }
        if (!signal.sdp().type().equals("offer")) {
            throw new ProtocolException(ErrorCode.BAD_SDP, "with a media bridge the server answers: send offers only");
        }
        SessionDescription offer;
        TransportDescription remote;
        List<MediaSource> sources;
        try {
            offer = parser.parse(signal.sdp().sdp());
            remote = BridgeSdp.transport(offer);
            sources = BridgeSdp.sources(offer);
        } catch (SdpParseException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, "the SDP could not be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
        }
        CallMedia media = calls.computeIfAbsent(call.callId(), id -> new CallMedia());
        synchronized (media) {
            if (media.ended) {
                throw new ProtocolException(ErrorCode.INVALID_STATE, "the call has ended");
            }
            boolean customer = fromSubject.equals(call.customerId());
            String endpointId = customer ? "customer" : "staff";
            Leg leg = media.legs.get(fromSubject);
            if (leg != null && !leg.ufrag.equals(remote.ufrag())) {
                // A new page (or an ICE restart): a fresh endpoint, the bridge does not restart ICE.
                expireEndpoint(call.callId(), leg.endpointId);
                media.legs.remove(fromSubject);
                leg = null;
            }
            Leg other = media.legs.get(call.peerOf(fromSubject));
            try {
                leg = connect(call.callId(), leg, endpointId, fromSubject, remote, sources);
            } catch (BridgeException.BadRequest e) {
                throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
            } catch (BridgeException e) {
                log.warn("bridge {} failed for call {}: {}", bridge.id(), call.callId(), e.toString());
                throw new ProtocolException(ErrorCode.UNAVAILABLE, "the media bridge is unavailable; retry");
            }
            media.legs.put(fromSubject, leg);
            leg.sources = sources;
            leg.lastOffer = offer;

            SessionDescription answer;
            try {
                answer = answers.answer(offer, Origin.of(leg.sessionId, ++leg.version), BridgeSdp.local(leg.bridgeSide),
                        intents(offer, other == null ? null : other.lastOffer));
            } catch (SdpNegotiationException | IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.BAD_SDP, e.getMessage());
            }
            leg.answeredWith = other == null ? List.of() : other.sources;
            answered.run();
            outbox.send(fromSubject, new ServerMessage.CallSignal(call.callId(), FROM,
                    new ClientMessage.Sdp("answer", writer.write(answer)), null));
            if (other != null && !Objects.equals(other.answeredWith, sources)) {
                outbox.send(other.subject, new ServerMessage.CallRenegotiate(call.callId()));
            }
        }
    }

    /** Creates the leg's endpoint (and the conference, if need be) or updates its sources. */
    private Leg connect(String meetingId, Leg leg, String endpointId, String subject, TransportDescription remote,
                        List<MediaSource> sources) throws BridgeException {
        if (leg != null) {
            try {
                bridge.apply(new ConferenceRequest(meetingId, null, false, false, List.of(
                        new EndpointRequest(endpointId, false, false, null, List.of(), remote, sources, false))));
                return leg;
            } catch (BridgeException.NotFound e) {
                // The bridge expired it (ICE failed, or no media for too long): start the leg afresh.
                log.info("call {}: endpoint {} was gone from the bridge; creating it again", meetingId, endpointId);
            }
        }
        EndpointRequest create = new EndpointRequest(endpointId, true, false, endpointId, List.of(), remote, sources, false);
        ConferenceReply reply;
        try {
            reply = bridge.apply(new ConferenceRequest(meetingId, null, false, false, List.of(create)));
        } catch (BridgeException.NotFound e) {
            reply = bridge.apply(new ConferenceRequest(meetingId, "call " + meetingId, true, false, List.of(create)));
        }
        Leg fresh = new Leg(endpointId, subject, Long.toString(random.nextLong() & Long.MAX_VALUE));
        fresh.ufrag = remote.ufrag();
        fresh.bridgeSide = reply.endpoints().get(0).transport();
        return fresh;
    }

    /** Each audio/video section answered sendrecv with the other party's track of its kind, else receive-only. */
    private static Map<String, AnswerIntent> intents(SessionDescription offer, SessionDescription other) {
        Map<String, AnswerIntent> intents = new HashMap<>();
        for (MediaSection m : offer.media()) {
            if (m.mid() == null) {
                continue;
            }
            BridgeSdp.kind(m).flatMap((MediaKind k) -> BridgeSdp.track(other, k))
                    .ifPresent(track -> intents.put(m.mid(), AnswerIntent.sendReceive(track)));
        }
        return intents;
    }

    private void expireEndpoint(String meetingId, String endpointId) {
        try {
            bridge.apply(new ConferenceRequest(meetingId, null, false, false, List.of(
                    new EndpointRequest(endpointId, false, true, null, List.of(), null, null, false))));
        } catch (BridgeException.NotFound e) {
            // already gone
        } catch (BridgeException e) {
            log.warn("call {}: expiring endpoint {} failed: {}", meetingId, endpointId, e.toString());
        }
    }

    /** Expires the call's conference and every endpoint in it. */
    @Override
    public void ended(CallRecord call) {
        CallMedia media = calls.remove(call.callId());
        if (media != null) {
            synchronized (media) {
                media.ended = true;
            }
        }
        try {
            bridge.expire(call.callId());
        } catch (BridgeException e) {
            log.warn("call {}: expiring its conference failed: {}", call.callId(), e.toString());
        }
    }
}
