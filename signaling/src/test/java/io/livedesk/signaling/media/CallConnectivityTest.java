package io.livedesk.signaling.media;

import io.livedesk.media.api.MediaFlow;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.media.CallConnectivity.Change;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.livedesk.signaling.protocol.ServerMessage.PeerStatus.CONNECTED;
import static io.livedesk.signaling.protocol.ServerMessage.PeerStatus.RECONNECTING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** When a party of a bridged call counts as reconnecting, and when as back, from its socket and its leg's media. */
class CallConnectivityTest {
    private static final Subject CUSTOMER = Subject.of("cust-1");
    private static final Subject STAFF = Subject.of("staff-1");
    private static final Subject SUPERVISOR = Subject.of("sup-1");
    private static final CallRecord CALL = CallRecord.queued(CallId.of("r-1"), CUSTOMER, "Li Wei", "cards", "en", 0, 1000)
            .offered(STAFF, "Zhang Min", 1001).answered(1002).connected(1003)
            .withSupervisor(SUPERVISOR, false);

    private final CallConnectivity c = new CallConnectivity(CALL);
    private long round;

    private Optional<Change> media(String endpoint, MediaFlow flow) {
        return c.media(endpoint, flow, ++round);
    }

    private static Optional<Change> change(Subject who, io.livedesk.signaling.protocol.ServerMessage.PeerStatus status) {
        return Optional.of(new Change(who, status));
    }

    /** Both parties offered and their media flows: the normal call. */
    private void flowing() {
        c.legUp(CUSTOMER, "customer");
        c.legUp(STAFF, "staff-1");
        assertEquals(Optional.empty(), media("customer", MediaFlow.CONNECTING));
        assertEquals(Optional.empty(), media("customer", MediaFlow.FLOWING));
        assertEquals(Optional.empty(), media("staff-1", MediaFlow.FLOWING));
    }

    @Test
    void aClosedSocketIsReconnectingAtOnceAndTheSameLegFlowingOnIsBackWithTheSocket() {
        flowing();

        assertEquals(change(STAFF, RECONNECTING), c.away(STAFF));
        assertEquals(Optional.empty(), media("staff-1", MediaFlow.FLOWING), "still away");
        assertEquals(change(STAFF, CONNECTED), c.back(STAFF), "a blip of the socket alone");
    }

    @Test
    void mediaThatStopsIsReconnectingEvenWithTheSocketOpenAndFlowingAgainIsBack() {
        flowing();

        assertEquals(change(STAFF, RECONNECTING), media("staff-1", MediaFlow.STOPPED));
        assertEquals(Optional.empty(), c.away(STAFF), "already told");
        assertEquals(Optional.empty(), c.back(STAFF), "the socket is back, the media is not");
        assertEquals(change(STAFF, CONNECTED), media("staff-1", MediaFlow.FLOWING));
    }

    @Test
    void aReloadedPageIsBackWhenItsNewLegFlows() {
        flowing();
        c.away(STAFF);
        media("staff-1", MediaFlow.STOPPED);

        assertEquals(Optional.empty(), c.back(STAFF));
        assertEquals(Optional.empty(), c.legDown(STAFF, "staff-1"), "the old leg goes");
        assertEquals(Optional.empty(), c.legUp(STAFF, "staff-2"));
        assertEquals(Optional.empty(), media("staff-2", MediaFlow.CONNECTING));
        assertEquals(Optional.empty(), media("staff-1", MediaFlow.STOPPED), "news of the old leg is no news");
        assertEquals(change(STAFF, CONNECTED), media("staff-2", MediaFlow.FLOWING));
    }

    @Test
    void withABridgeThatReportsNoMediaTheSocketAloneDecides() {
        c.legUp(CUSTOMER, "customer");
        c.legUp(STAFF, "staff-1");

        assertEquals(change(STAFF, RECONNECTING), c.away(STAFF));
        c.back(STAFF);
        assertEquals(Optional.empty(), c.legUp(STAFF, "staff-2"));
        assertEquals(change(STAFF, RECONNECTING), c.away(STAFF));
        assertEquals(change(STAFF, CONNECTED), c.back(STAFF), "no report would ever say its leg flows");
    }

    @Test
    void aLegThatNeverFlowedIsNotADrop() {
        c.legUp(STAFF, "staff-1");

        assertEquals(Optional.empty(), media("staff-1", MediaFlow.CONNECTING));
        assertEquals(Optional.empty(), media("staff-1", MediaFlow.STOPPED), "ICE failed at the start: not a drop");
    }

    @Test
    void aReportOvertakenByALaterOneIsDropped() {
        flowing();
        long early = ++round;
        long late = ++round;

        assertEquals(change(STAFF, RECONNECTING), c.media("staff-1", MediaFlow.STOPPED, late));
        assertEquals(Optional.empty(), c.media("staff-1", MediaFlow.FLOWING, early));
    }

    @Test
    void supervisorsAndThoseWhoHandedTheCallOverAreNotAnnounced() {
        flowing();

        assertEquals(Optional.empty(), c.away(SUPERVISOR));
        c.forget(STAFF);
        c.record(CALL.transferring(io.livedesk.signaling.routing.RequestId.of("t-1"), null).transferredTo(Subject.of("staff-2"), "Chen Jie", 0));
        assertEquals(Optional.empty(), c.away(STAFF));
        assertEquals(change(Subject.of("staff-2"), RECONNECTING), c.away(Subject.of("staff-2")));
    }
}
