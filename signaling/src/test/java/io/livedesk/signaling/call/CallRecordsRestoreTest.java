package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Putting call records back after the store lost its data, and what a node remembers to do it. */
class CallRecordsRestoreTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
    private final KnownCalls known = KnownCalls.keeping(clock, Duration.ofSeconds(30), Duration.ofHours(1));
    private final InMemoryCallStore store = new InMemoryCallStore();
    private final CallRecords calls = new CallRecords(store, known);

    private static CallRecord live(String id) {
        return CallRecord.queued(CallId.of(id), Subject.of("cust-" + id), "Customer", "loans", "en", 0, T0)
                .offered(Subject.of("staff-" + id), "Staff", T0 + 1).answered(T0 + 2);
    }

    @Test
    void anAbsentCallIsCreatedWithItsLiveIndex() {
        CallRecord call = live("c1");
        CallRecords.Restored restored = calls.restore(call);
        assertTrue(restored.written());
        assertNull(restored.replaced());
        assertEquals(Optional.of(call), store.liveCallOf(Subject.of("staff-c1")));
        assertEquals(Optional.of(call), store.liveCallOf(Subject.of("cust-c1")));
    }

    @Test
    void theNewestRevisionWinsWhicheverNodePutsItBackFirst() {
        CallRecord live = live("c1");
        CallRecord ended = live.ended(EndReason.CUSTOMER_HANGUP, T0 + 10);
        assertTrue(calls.restore(ended).written());
        CallRecords.Restored older = calls.restore(live);
        assertFalse(older.written(), "an older revision never overwrites a newer one");
        assertEquals(ended, older.stored());
        assertEquals(Optional.empty(), store.liveCallOf(Subject.of("staff-c1")));

        CallRecord other = live("c2");
        calls.restore(other);
        CallRecord otherEnded = other.ended(EndReason.STAFF_HANGUP, T0 + 20);
        CallRecords.Restored newer = calls.restore(otherEnded);
        assertTrue(newer.written());
        assertEquals(other, newer.replaced(), "the live record it ended, so the member's load can follow");
        assertEquals(Optional.empty(), store.liveCallOf(Subject.of("cust-c2")));
    }

    @Test
    void everyRecordReadOrWrittenIsRememberedAtItsNewestRevision() {
        CallRecord queued = CallRecord.queued(CallId.of("c1"), Subject.of("cust"), "Customer", "loans", "en", 0, T0);
        calls.create(queued);
        CallRecord offered = calls.update(queued.callId(), r -> r.offered(Subject.of("s"), "Staff", T0 + 1)).orElseThrow();
        assertEquals(Optional.of(offered), known.get(queued.callId()));
        known.remember(queued);
        assertEquals(Optional.of(offered), known.get(queued.callId()), "an older read does not replace a newer one");
    }

    @Test
    void endedCallsAreForgottenAfterTheirRetentionOthersAfterTheLongerOne() {
        CallRecord live = live("c1");
        CallRecord ended = live("c2").ended(EndReason.CUSTOMER_HANGUP, T0 + 5);
        known.remember(live);
        known.remember(ended);
        clock.advance(Duration.ofSeconds(31));
        known.prune();
        assertEquals(Optional.of(live), known.get(live.callId()));
        assertEquals(Optional.empty(), known.get(ended.callId()));
        clock.advance(Duration.ofHours(1));
        known.prune();
        assertEquals(0, known.size());
    }

    @Test
    void anUpdateOnTheKnownRevisionIsOneWriteWithoutARead() {
        InMemoryCallStore spied = Mockito.spy(new InMemoryCallStore());
        CallRecords records = new CallRecords(spied, known);
        CallRecord queued = CallRecord.queued(CallId.of("c1"), Subject.of("cust"), "Customer", "loans", "en", 0, T0);
        records.create(queued);
        CallRecord offered = records.update(queued.callId(), r -> r.offered(Subject.of("s"), "Staff", T0 + 1)).orElseThrow();
        Mockito.verify(spied, Mockito.never()).get(queued.callId());
        assertEquals(Optional.of(offered), spied.get(queued.callId()));
    }

    @Test
    void anUpdateOnAStaleGuessIsJudgedAgainOnTheStoredRecord() {
        CallRecord queued = CallRecord.queued(CallId.of("c1"), Subject.of("cust"), "Customer", "loans", "en", 0, T0);
        calls.create(queued);
        // Another node offers it and the offer is released: this node only knows the first revision.
        CallRecord offered = queued.offered(Subject.of("s"), "Staff", T0 + 1);
        assertTrue(store.compareAndSet(queued, offered));
        CallRecord requeued = offered.requeued();
        assertTrue(store.compareAndSet(offered, requeued));
        assertEquals(Optional.of(queued), known.get(queued.callId()));

        CallRecord offeredAgain = calls.update(queued.callId(), r -> r.offered(Subject.of("t"), "Other", T0 + 2)).orElseThrow();
        assertEquals(requeued.revision() + 1, offeredAgain.revision(), "applied to the stored revision");
        // A change that does not apply to the guess (still QUEUED here) is judged on the stored record.
        assertEquals(Optional.of(offeredAgain), known.get(queued.callId()));
        CallRecord requeuedByOther = offeredAgain.requeued();
        assertTrue(store.compareAndSet(offeredAgain, requeuedByOther));
        assertTrue(calls.update(queued.callId(), r -> r.state() == CallState.QUEUED
                ? r.ended(EndReason.CUSTOMER_CANCELLED, T0 + 3) : null).isPresent());
        assertEquals(CallState.ENDED, store.get(queued.callId()).orElseThrow().state());
    }

    @Test
    void aStoreThatCannotLoseItsDataRemembersNothing() {
        KnownCalls none = KnownCalls.none();
        none.remember(live("c1"));
        assertEquals(0, none.size());
    }
}
