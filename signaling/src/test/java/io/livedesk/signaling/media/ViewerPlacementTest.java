package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.live.BroadcastId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ViewerPlacementTest {
    private static final BroadcastId B = BroadcastId.of("b1");
    private static final ViewerPlacement.Carrier FIRST = carrier(1, 0);

    private static ViewerPlacement.Carrier carrier(int n, int viewers) {
        return new ViewerPlacement.Carrier(BroadcastMeetings.meetingOf(B, n), viewers);
    }

    private static ViewerPlacement.Carrier on(ViewerPlacement.Placement p) {
        return assertInstanceOf(ViewerPlacement.Placement.On.class, p).carrier();
    }

    @Test
    void theFirstCarrierTakesViewersUpToTheCapWithoutAskingThePool() {
        ViewerPlacement placement = ViewerPlacement.spreading(2, 4);
        AtomicInteger asked = new AtomicInteger();
        assertEquals(FIRST, on(placement.place(B, List.of(FIRST), () -> asked.incrementAndGet() > 0)));
        assertEquals(carrier(1, 1), on(placement.place(B, List.of(carrier(1, 1)), () -> asked.incrementAndGet() > 0)));
        assertEquals(0, asked.get(), "the pool is asked only when every carrier is full");
    }

    @Test
    void theLeastLoadedCarrierWithRoomTakesTheViewerTheEarlierOnATie() {
        ViewerPlacement placement = ViewerPlacement.spreading(3, 4);
        assertEquals(carrier(3, 1), on(placement.place(B, List.of(carrier(1, 3), carrier(2, 2), carrier(3, 1)),
                () -> true)));
        assertEquals(carrier(2, 1), on(placement.place(B, List.of(carrier(1, 2), carrier(2, 1), carrier(3, 1)),
                () -> true)));
    }

    @Test
    void allFullWithAnotherBridgeMeansANewCarrier() {
        ViewerPlacement placement = ViewerPlacement.spreading(2, 4);
        assertInstanceOf(ViewerPlacement.Placement.NewCarrier.class,
                placement.place(B, List.of(carrier(1, 2)), () -> true));
        assertInstanceOf(ViewerPlacement.Placement.NewCarrier.class,
                placement.place(B, List.of(carrier(1, 2), carrier(2, 2), carrier(3, 2)), () -> true));
    }

    @Test
    void allFullWithoutAnotherBridgeIsFull() {
        assertInstanceOf(ViewerPlacement.Placement.Full.class,
                ViewerPlacement.spreading(2, 4).place(B, List.of(carrier(1, 2)), () -> false));
    }

    @Test
    void atTheMostCarriersAllFullIsFullWithoutAskingThePool() {
        AtomicInteger asked = new AtomicInteger();
        ViewerPlacement.Placement p = ViewerPlacement.spreading(2, 2)
                .place(B, List.of(carrier(1, 2), carrier(2, 2)), () -> asked.incrementAndGet() > 0);
        assertInstanceOf(ViewerPlacement.Placement.Full.class, p);
        assertEquals(0, asked.get());
    }

    @Test
    void aSingleConferenceNeverSpreads() {
        ViewerPlacement single = ViewerPlacement.singleConference(1);
        assertEquals(FIRST, on(single.place(B, List.of(FIRST), () -> true)));
        assertInstanceOf(ViewerPlacement.Placement.Full.class, single.place(B, List.of(carrier(1, 1)), () -> true));
    }

    @Test
    void capsBelowOneAndNoCarriersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ViewerPlacement.spreading(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ViewerPlacement.spreading(2, 0));
        assertThrows(IllegalArgumentException.class, () -> ViewerPlacement.spreading(2, 2).place(B, List.of(), () -> true));
    }

    @Test
    void furtherCarriersHaveTheirOwnMeetingsOfTheSameBroadcast() {
        MeetingId second = BroadcastMeetings.meetingOf(B, 2);
        assertEquals("live-b1+2", second.value());
        assertEquals(BroadcastMeetings.meetingOf(B), BroadcastMeetings.meetingOf(B, 1));
        assertEquals(B, BroadcastMeetings.broadcastOf(second).orElseThrow());
    }
}
