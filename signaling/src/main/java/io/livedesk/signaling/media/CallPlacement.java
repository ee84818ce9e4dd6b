package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;

import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which conference of a bridged call takes a participant's new leg: the call's own (on a bridge of the call's region,
 * its first participant's), or a further conference (a <em>side</em>) on a bridge of the participant's region, joined
 * to the call's by one relay, as Jicofo joins bridges of several regions with Octo relays. Nothing else decides it.
 *
 * <p>A participant goes on a side only when all of these hold: the call's conference exists (the first participant
 * creates it, in their region); the participant's region and the call's are known and differ; and either the call
 * already has a side in that region, or it has no side yet and a bridge of that region, other than those holding the
 * call's conferences, takes a new conference now. A call has at most one side: relays do not forward what arrives on
 * one relay to another, so participants on two sides would not receive each other (a third region's participant joins
 * the call's own conference). In every other case the participant goes on the call's own conference, as without
 * regions: a region without a bridge that takes it costs nothing but the longer path.
 */
final class CallPlacement {
    /** Sides a call may have. */
    static final int MAX_SIDES = 1;

    private CallPlacement() {
    }

    /** Where a new leg goes. */
    sealed interface Placement {
        /** The call's own conference. */
        record Own() implements Placement {
        }

        /** The existing side {@code meetingId}. */
        record OnSide(MeetingId meetingId) implements Placement {
        }

        /** A new side on a bridge of {@code region}, joined to the call's conference by a relay. */
        record NewSide(String region) implements Placement {
        }
    }

    /**
     * @param callRegion     the call's region (its first participant's); null when unknown
     * @param region         the participant's region; null when unknown
     * @param ownExists      whether the call's own conference is on a bridge now
     * @param sides          the call's sides now: their regions by meeting id
     * @param takesConference whether a bridge of a region (not holding the call's conferences) takes a conference now;
     *                       asked only when a new side would be opened
     */
    static Placement place(String callRegion, String region, boolean ownExists, Map<MeetingId, String> sides,
                           Predicate<String> takesConference) {
        if (!ownExists || callRegion == null || region == null || region.equals(callRegion)) {
            return new Placement.Own();
        }
        for (Map.Entry<MeetingId, String> side : sides.entrySet()) {
            if (Objects.equals(side.getValue(), region)) {
                return new Placement.OnSide(side.getKey());
            }
        }
        if (sides.size() >= MAX_SIDES || !takesConference.test(region)) {
            return new Placement.Own();
        }
        return new Placement.NewSide(region);
    }
}
