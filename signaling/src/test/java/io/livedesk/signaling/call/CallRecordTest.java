package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.routing.RequestId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallRecordTest {

    private static final long T0 = 1_764_000_000_000L;

    /** The state machine as documented: anything not listed here must be refused. */
    private static final Map<CallState, Set<CallState>> ALLOWED = Map.of(
            CallState.QUEUED, EnumSet.of(CallState.OFFERED, CallState.ENDED),
            CallState.OFFERED, EnumSet.of(CallState.QUEUED, CallState.CONNECTING, CallState.ENDED),
            CallState.CONNECTING, EnumSet.of(CallState.ACTIVE, CallState.ENDED),
            CallState.ACTIVE, EnumSet.of(CallState.ENDED),
            CallState.ENDED, EnumSet.noneOf(CallState.class));

    /** The record method that moves a record into each state. */
    private static final Map<CallState, UnaryOperator<CallRecord>> MOVE_TO = Map.of(
            CallState.QUEUED, CallRecord::requeued,
            CallState.OFFERED, r -> r.offered(Subject.of("staff-7"), "Zhang Min", T0 + 2_000),
            CallState.CONNECTING, r -> r.answered(T0 + 3_000),
            CallState.ACTIVE, r -> r.connected(T0 + 4_000),
            CallState.ENDED, r -> r.ended(EndReason.STAFF_HANGUP, T0 + 10_000));

    static Stream<Arguments> everyPairOfStates() {
        List<Arguments> pairs = new ArrayList<>();
        for (CallState from : CallState.values()) {
            for (CallState to : CallState.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPairOfStates")
    void onlyTheDocumentedTransitionsAreAllowed(CallState from, CallState to) {
        CallRecord record = recordIn(from);
        assertEquals(from, record.state());
        boolean allowed = ALLOWED.get(from).contains(to);
        assertEquals(allowed, from.canMoveTo(to), "canMoveTo");
        if (allowed) {
            assertEquals(to, MOVE_TO.get(to).apply(record).state());
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MOVE_TO.get(to).apply(record));
            assertTrue(e.getMessage().contains(from.toString()) && e.getMessage().contains(to.toString()), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(CallState.class)
    void onlyConnectingAndActiveAreLive(CallState state) {
        assertEquals(state == CallState.CONNECTING || state == CallState.ACTIVE, state.live());
    }

    @Test
    void theHappyPathKeepsEveryTimeAndComputesWaitAndTalk() {
        CallRecord queued = CallRecord.queued(CallId.of("r-1"), Subject.of("cust-1"), "Li Wei", "accounts", "en", 2, T0);
        CallRecord offered = queued.offered(Subject.of("staff-7"), "Zhang Min", T0 + 2_000);
        CallRecord answered = offered.answered(T0 + 3_000);
        CallRecord active = answered.connected(T0 + 4_000);
        CallRecord ended = active.ended(EndReason.CUSTOMER_HANGUP, T0 + 64_000);

        assertEquals(CallState.ENDED, ended.state());
        assertEquals(CallId.of("r-1"), ended.callId());
        assertEquals(Subject.of("cust-1"), ended.customerId());
        assertEquals("Li Wei", ended.customerName());
        assertEquals("accounts", ended.topic());
        assertEquals("en", ended.language());
        assertEquals(2, ended.priority());
        assertEquals(Subject.of("staff-7"), ended.staffId());
        assertEquals("Zhang Min", ended.staffName());
        assertEquals(T0, ended.enqueuedAtMs());
        assertEquals(T0 + 2_000, ended.offeredAtMs());
        assertEquals(T0 + 3_000, ended.answeredAtMs());
        assertEquals(T0 + 4_000, ended.connectedAtMs());
        assertEquals(T0 + 64_000, ended.endedAtMs());
        assertEquals(EndReason.CUSTOMER_HANGUP, ended.endReason());
        assertEquals(3_000, ended.waitMs(T0 + 999_999));
        assertEquals(61_000, ended.talkMs(T0 + 999_999));
    }

    @Test
    void talkTimeOfARunningCallCountsToNow() {
        CallRecord answered = recordIn(CallState.CONNECTING);
        assertEquals(7_000, answered.talkMs(T0 + 10_000));
        assertEquals(0, recordIn(CallState.OFFERED).talkMs(T0 + 10_000));
    }

    @Test
    void anUnansweredRequestWaitedUntilItEnded() {
        CallRecord cancelled = recordIn(CallState.QUEUED).ended(EndReason.CUSTOMER_CANCELLED, T0 + 5_000);
        assertEquals(5_000, cancelled.waitMs(T0 + 9_000));
        assertEquals(0, cancelled.talkMs(T0 + 9_000));
        assertNull(cancelled.staffId());
        assertEquals(9_000, recordIn(CallState.QUEUED).waitMs(T0 + 9_000), "still waiting: until now");
    }

    @Test
    void requeueForgetsTheStaffMemberButKeepsTheFirstOfferTime() {
        CallRecord requeued = recordIn(CallState.OFFERED).requeued();
        assertEquals(CallState.QUEUED, requeued.state());
        assertNull(requeued.staffId());
        assertNull(requeued.staffName());
        assertEquals(T0 + 2_000, requeued.offeredAtMs());
        CallRecord offeredAgain = requeued.offered(Subject.of("staff-9"), "Ana", T0 + 8_000);
        assertEquals(Subject.of("staff-9"), offeredAgain.staffId());
        assertEquals(T0 + 8_000, offeredAgain.offeredAtMs());
    }

    @Test
    void partiesAndPeers() {
        CallRecord call = recordIn(CallState.ACTIVE);
        assertTrue(call.isParty(Subject.of("cust-1")));
        assertTrue(call.isParty(Subject.of("staff-7")));
        assertFalse(call.isParty(Subject.of("staff-8")));
        assertEquals(Subject.of("staff-7"), call.peerOf(Subject.of("cust-1")));
        assertEquals(Subject.of("cust-1"), call.peerOf(Subject.of("staff-7")));
    }

    @Test
    void aRefusedTransitionLeavesTheRecordAsItWas() {
        CallRecord ended = recordIn(CallState.ENDED);
        assertThrows(IllegalStateException.class, () -> ended.ended(EndReason.CUSTOMER_HANGUP, T0 + 99_000));
        assertEquals(EndReason.STAFF_HANGUP, ended.endReason());
        assertEquals(T0 + 10_000, ended.endedAtMs());
        CallRecord queued = recordIn(CallState.QUEUED);
        assertSame(CallState.QUEUED, queued.state());
    }

    /** A record that reached the state by the documented path. */
    private static CallRecord recordIn(CallState state) {
        CallRecord r = CallRecord.queued(CallId.of("r-1"), Subject.of("cust-1"), "Li Wei", "accounts", "en", 0, T0);
        List<CallState> path = switch (state) {
            case QUEUED -> List.of();
            case OFFERED -> List.of(CallState.OFFERED);
            case CONNECTING -> List.of(CallState.OFFERED, CallState.CONNECTING);
            case ACTIVE -> List.of(CallState.OFFERED, CallState.CONNECTING, CallState.ACTIVE);
            case ENDED -> List.of(CallState.OFFERED, CallState.CONNECTING, CallState.ACTIVE, CallState.ENDED);
        };
        for (CallState next : path) {
            r = MOVE_TO.get(next).apply(r);
        }
        return r;
    }

    private static CallRecord active() {
        return CallRecord.queued(CallId.of("c1"), Subject.of("cust-1"), "Li Wei", "loans", "en", 0, T0)
                .offered(Subject.of("staff-7"), "Zhang Min", T0 + 1).answered(T0 + 2).connected(T0 + 3);
    }

    @Test
    void everyChangeRaisesTheRevision() {
        CallRecord q = CallRecord.queued(CallId.of("c1"), Subject.of("cust-1"), "Li Wei", "loans", "en", 0, T0);
        CallRecord a = active();
        assertEquals(0, q.revision());
        assertEquals(3, a.revision(), "offered, answered, connected");
        assertEquals(4, a.withSupervisor(Subject.of("sup-1"), false).revision());
        assertEquals(4, a.transferring(RequestId.of("t-1"), null).revision());
    }

    @Test
    void supervisorsJoinAndLeaveOnlyWhileTheCallIsLive() {
        CallRecord joined = active().withSupervisor(Subject.of("sup-1"), false).withSupervisor(Subject.of("sup-2"), true);
        assertEquals(List.of(Subject.of("sup-1"), Subject.of("sup-2")), joined.supervisorIds());
        assertTrue(joined.isSupervisor(Subject.of("sup-2")));
        assertFalse(joined.isParty(Subject.of("sup-2")), "a supervisor is not a party: they cannot transfer or end the call");
        assertEquals(List.of(Subject.of("cust-1"), Subject.of("staff-7"), Subject.of("sup-1"), Subject.of("sup-2")), joined.participants());
        assertEquals(List.of(Subject.of("sup-2")), joined.withoutSupervisor(Subject.of("sup-1")).supervisorIds());
        assertThrows(IllegalStateException.class, () -> joined.withSupervisor(Subject.of("sup-1"), true), "already in");
        assertThrows(IllegalStateException.class, () -> joined.withSupervisor(Subject.of("staff-7"), true), "the staff member");
        assertThrows(IllegalStateException.class, () -> joined.withoutSupervisor(Subject.of("sup-9")));
        CallRecord ended = joined.ended(EndReason.CUSTOMER_HANGUP, T0 + 10);
        assertEquals(List.of(), ended.supervisorIds(), "nobody is in an ended call");
        assertThrows(IllegalStateException.class, () -> ended.withSupervisor(Subject.of("sup-3"), false));
        CallRecord queued = CallRecord.queued(CallId.of("c2"), Subject.of("cust-2"), "W", "loans", "en", 0, T0);
        assertThrows(IllegalStateException.class, () -> queued.withSupervisor(Subject.of("sup-1"), false));
    }

    @Test
    void aTransferHandsTheCallToTheNextStaffMemberAndKeepsTheHistory() {
        CallRecord waiting = active().transferring(RequestId.of("t-1"), null);
        assertEquals(RequestId.of("t-1"), waiting.transferRequestId());
        assertEquals(Subject.of("staff-7"), waiting.staffId(), "the staff member stays on while the transfer waits");
        assertThrows(IllegalStateException.class, () -> waiting.transferring(RequestId.of("t-2"), null), "one transfer at a time");
        CallRecord moved = waiting.transferredTo(Subject.of("staff-9"), "Wang Fang", T0 + 50);
        assertEquals(Subject.of("staff-9"), moved.staffId());
        assertEquals("Wang Fang", moved.staffName());
        assertEquals(List.of(Subject.of("staff-7")), moved.formerStaffIds());
        assertNull(moved.transferRequestId());
        assertEquals(CallState.ACTIVE, moved.state(), "a transfer is not a change of state");
        assertThrows(IllegalStateException.class, () -> moved.transferredTo(Subject.of("staff-10"), "X", T0 + 50), "no transfer under way");
        assertNull(waiting.transferCancelled().transferRequestId());
        CallRecord ended = waiting.ended(EndReason.STAFF_HANGUP, T0 + 9);
        assertNull(ended.transferRequestId());
        assertThrows(IllegalStateException.class, () -> ended.transferring(RequestId.of("t-3"), null));
    }

    @Test
    void eachStaffMembersShareOfTheTalkTimeStartsWhenTheyTookTheCall() {
        CallRecord first = active();
        assertEquals(T0 + 2, first.staffSinceMs(), "from the answer");
        assertEquals(48, first.staffTalkMs(T0 + 50));
        CallRecord noted = first.transferring(RequestId.of("t-1"), "rate question");
        assertEquals(new CallRecord.Handover("Zhang Min", "rate question"), noted.handover());
        assertEquals(T0 + 2, noted.transferCancelled().staffSinceMs(), "a called-off transfer changes nothing");
        assertNull(noted.transferCancelled().handover());
        CallRecord second = noted.transferredTo(Subject.of("staff-9"), "Wang Fang", T0 + 50);
        assertEquals(new CallRecord.Handover("Zhang Min", "rate question"), second.handover(), "the note stays for them");
        CallRecord ended = second.ended(EndReason.CUSTOMER_HANGUP, T0 + 80);
        assertEquals(30, ended.staffTalkMs(T0 + 999), "the second staff member's share");
        assertEquals(78, ended.talkMs(T0 + 999), "the call's talk time runs through the transfer");
        assertEquals(0, CallRecord.queued(CallId.of("c9"), Subject.of("cust-9"), "W", "loans", "en", 0, T0).staffTalkMs(T0 + 5));
    }
}
