package io.livedesk.signaling.media;

import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bridged call's further conference: on a bridge of a region other than the call's, for the participants there,
 * joined to the call's first conference by one {@link CarrierRelay} (media crosses between the regions once per
 * relay, not once per participant). Guarded by its call's meeting lock.
 */
final class CallSide {
    final MeetingId meetingId;
    final String region;
    /** Its number among the call's conferences (the first is 1): names its relay on the first conference. */
    final int carrier;
    final CarrierRelay relay;
    /** The pool member holding it, as last stored; null before the first write. */
    String bridgeMember;

    CallSide(MeetingId meetingId, String region, int carrier, CarrierRelay relay) {
        this.meetingId = meetingId;
        this.region = region;
        this.carrier = carrier;
        this.relay = relay;
    }

    CallMediaState.SideState state() {
        return new CallMediaState.SideState(meetingId.value(), region, carrier, bridgeMember,
                relay.listedOnFurther(), relay.listedOnFirst());
    }

    /**
     * The side another node stored. What each end of its relay lists is known by endpoint id only: the sources are
     * sent again (as updates) at the next change, which follows the participants' next offers.
     */
    static CallSide restore(MeetingId first, CallMediaState.SideState s) {
        MeetingId id = new MeetingId(s.meetingId());
        CallSide side = new CallSide(id, s.region(), s.carrier(), CarrierRelay.restore(first, id, s.carrier(),
                unknownSources(s.listedOnSide()), unknownSources(s.listedOnFirst())));
        side.bridgeMember = s.bridgeMember();
        return side;
    }

    private static Map<String, List<MediaSource>> unknownSources(List<String> ids) {
        Map<String, List<MediaSource>> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, List.of()));
        return out;
    }
}
