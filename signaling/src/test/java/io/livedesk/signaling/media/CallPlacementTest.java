package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.call.CallId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Where a bridged call's new leg goes ({@link CallPlacement}), and how a call's further conferences are named. */
class CallPlacementTest {
    private static final MeetingId SIDE = new MeetingId("r-1+2");
    private static final Predicate<String> ANY_REGION = r -> true;

    private final List<String> asked = new ArrayList<>();

    private Predicate<String> takes(boolean answer) {
        return r -> {
            asked.add(r);
            return answer;
        };
    }

    @Test
    void aParticipantOfAnotherRegionGoesOnANewSideWhenABridgeThereTakesIt() {
        assertEquals(new CallPlacement.Placement.NewSide("south"),
                CallPlacement.place("north", "south", true, Map.of(), takes(true)));
        assertEquals(List.of("south"), asked);
    }

    @Test
    void theCallsOwnConferenceWhenNoBridgeOfTheirRegionTakesIt() {
        assertEquals(new CallPlacement.Placement.Own(),
                CallPlacement.place("north", "south", true, Map.of(), takes(false)));
    }

    @Test
    void theCallsOwnConferenceInTheCallsRegionOrWhenARegionIsUnknown() {
        Predicate<String> never = takes(true);
        assertEquals(new CallPlacement.Placement.Own(), CallPlacement.place("north", "north", true, Map.of(), never));
        assertEquals(new CallPlacement.Placement.Own(), CallPlacement.place(null, "south", true, Map.of(), never));
        assertEquals(new CallPlacement.Placement.Own(), CallPlacement.place("north", null, true, Map.of(), never));
        assertEquals(List.of(), asked, "no bridge asked for");
    }

    @Test
    void theFirstParticipantCreatesTheCallsOwnConferenceWhateverTheirRegion() {
        assertEquals(new CallPlacement.Placement.Own(),
                CallPlacement.place("north", "south", false, Map.of(), takes(true)));
        assertEquals(List.of(), asked);
    }

    @Test
    void aParticipantOfASidesRegionJoinsThatSide() {
        assertEquals(new CallPlacement.Placement.OnSide(SIDE),
                CallPlacement.place("north", "south", true, Map.of(SIDE, "south"), takes(false)));
    }

    @Test
    void aCallHasOneSideAtMostSoAThirdRegionJoinsTheCallsOwnConference() {
        assertEquals(new CallPlacement.Placement.Own(),
                CallPlacement.place("north", "east", true, Map.of(SIDE, "south"), ANY_REGION));
    }

    @Test
    void aCallsFurtherConferencesAreNamedAfterItAndLeadBackToIt() {
        CallId call = CallId.of("r-1b2c");
        assertEquals(new MeetingId("r-1b2c"), CallMeetings.meetingOf(call, 1));
        assertEquals(new MeetingId("r-1b2c+2"), CallMeetings.meetingOf(call, 2));
        assertEquals(Optional.of(call), CallMeetings.callOf(new MeetingId("r-1b2c+2")));
        assertEquals(Optional.of(call), CallMeetings.callOf(new MeetingId("r-1b2c")));
        assertThrows(IllegalArgumentException.class, () -> CallMeetings.meetingOf(call, 0));
    }
}
