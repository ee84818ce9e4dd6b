package io.livedesk.signaling.media;

import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a bridged call's media node knows of the call's media, as kept in the {@link CallMediaStore}: enough
 * for another node to go on answering the call's browsers from the same endpoints of the same conference
 * should this one die (see {@link BridgeLegs.Meeting#restore}). Customer data never goes in: subjects are ids.
 *
 * @param meetingId        the conference's meeting id on the bridge
 * @param node             the signaling node that wrote it (the call's media node then)
 * @param bridgeMember     the pool member holding the conference; null before the first endpoint exists
 * @param revision         1 for the first write, one more with each; writes are compare-and-set on it
 * @param endpointsCreated endpoint ids handed out per label, so a leg created after a takeover gets a fresh one
 * @param legs             in order of joining
 * @param region           the region the call's conference is wanted in (its first participant's); null for any
 * @param sides            the call's further conferences in other regions, each joined to the first by a relay
 * @param sidesCreated     further conferences numbered so far (1: none), so a new one after a takeover gets a new id
 */
public record CallMediaState(CallId callId, String meetingId, String node, String bridgeMember, long revision,
                             Map<String, Integer> endpointsCreated, List<LegState> legs, String region,
                             List<SideState> sides, int sidesCreated) {

    public CallMediaState {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(node, "node");
        if (revision < 1) {
            throw new IllegalArgumentException("revision starts at 1: " + revision);
        }
        endpointsCreated = Map.copyOf(endpointsCreated);
        legs = List.copyOf(legs);
        sides = sides == null ? List.of() : List.copyOf(sides);
    }

    /** Without a region. */
    public CallMediaState(CallId callId, String meetingId, String node, String bridgeMember, long revision,
                          Map<String, Integer> endpointsCreated, List<LegState> legs) {
        this(callId, meetingId, node, bridgeMember, revision, endpointsCreated, legs, null);
    }

    /** All on one conference. */
    public CallMediaState(CallId callId, String meetingId, String node, String bridgeMember, long revision,
                          Map<String, Integer> endpointsCreated, List<LegState> legs, String region) {
        this(callId, meetingId, node, bridgeMember, revision, endpointsCreated, legs, region, List.of(), 1);
    }

    /**
     * A further conference of the call ({@link CallSide}) on a bridge of another region, joined to the call's first
     * by a relay.
     *
     * @param carrier        its number: its relay's id on the first conference is {@code carrier-<n>}
     * @param bridgeMember   the pool member holding it
     * @param listedOnSide   endpoint ids of the first conference its relay lists
     * @param listedOnFirst  its endpoint ids the first conference's relay lists
     */
    public record SideState(String meetingId, String region, int carrier, String bridgeMember,
                            List<String> listedOnSide, List<String> listedOnFirst) {
        public SideState {
            Objects.requireNonNull(meetingId, "meetingId");
            listedOnSide = List.copyOf(listedOnSide);
            listedOnFirst = List.copyOf(listedOnFirst);
        }
    }

    /**
     * One browser's leg ({@link BridgeLegs.Leg}).
     *
     * @param sessionId     the SDP session id of the answers (o= line), kept so answers go on from it
     * @param version       the SDP version of the last answer; the next one is higher
     * @param ufrag         the browser's ICE ufrag: an offer with the same one (and fingerprint) changes nothing
     * @param fingerprint   the browser's DTLS fingerprint: the same one with a new ufrag is an ICE restart
     * @param bridgeSide    the bridge's transport of the endpoint, what answers carry
     * @param tracks        the leg's own tracks as the others receive them
     * @param answeredWith  the others' tracks its last answer carried
     * @param conference    the meeting id of the side its endpoint is on; null for the call's first conference
     */
    public record LegState(String endpointId, Subject subject, BridgeLegs.Mode mode, String sessionId, long version,
                           String ufrag, String fingerprint, TransportDescription bridgeSide, int maxVideoHeight,
                           List<ForwardedTrack> tracks, List<ForwardedTrack> answeredWith, String conference) {
        public LegState {
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(mode, "mode");
            tracks = List.copyOf(tracks);
            answeredWith = List.copyOf(answeredWith);
        }

        /** On the call's first conference. */
        public LegState(String endpointId, Subject subject, BridgeLegs.Mode mode, String sessionId, long version,
                        String ufrag, String fingerprint, TransportDescription bridgeSide, int maxVideoHeight,
                        List<ForwardedTrack> tracks, List<ForwardedTrack> answeredWith) {
            this(endpointId, subject, mode, sessionId, version, ufrag, fingerprint, bridgeSide, maxVideoHeight, tracks,
                    answeredWith, null);
        }
    }
}
