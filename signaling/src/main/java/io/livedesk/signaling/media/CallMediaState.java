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
 */
public record CallMediaState(CallId callId, String meetingId, String node, String bridgeMember, long revision,
                             Map<String, Integer> endpointsCreated, List<LegState> legs, String region) {

    public CallMediaState {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(node, "node");
        if (revision < 1) {
            throw new IllegalArgumentException("revision starts at 1: " + revision);
        }
        endpointsCreated = Map.copyOf(endpointsCreated);
        legs = List.copyOf(legs);
    }

    /** Without a region. */
    public CallMediaState(CallId callId, String meetingId, String node, String bridgeMember, long revision,
                          Map<String, Integer> endpointsCreated, List<LegState> legs) {
        this(callId, meetingId, node, bridgeMember, revision, endpointsCreated, legs, null);
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
     */
    public record LegState(String endpointId, Subject subject, BridgeLegs.Mode mode, String sessionId, long version,
                           String ufrag, String fingerprint, TransportDescription bridgeSide, int maxVideoHeight,
                           List<ForwardedTrack> tracks, List<ForwardedTrack> answeredWith) {
        public LegState {
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(mode, "mode");
            tracks = List.copyOf(tracks);
            answeredWith = List.copyOf(answeredWith);
        }
    }
}
