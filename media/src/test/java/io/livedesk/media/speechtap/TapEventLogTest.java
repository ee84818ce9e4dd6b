package io.livedesk.media.speechtap;

import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TapEventLogTest {
    private static final Status ENDED = new Status(StreamState.ENDED, "finished");

    private static TranscriptEvent.Final fin(String text) {
        return TranscriptEvent.Final.of(text, List.of());
    }

    @Test
    void aCursorAcknowledgesWhatCameBeforeItAndALostReplyIsReadAgain() {
        TapEventLog log = new TapEventLog(10);
        log.append(new Partial("a"));
        log.append(fin("a b"));
        TapEventLog.Read first = log.read(0, 10);
        assertEquals(List.of(new Partial("a"), fin("a b")), first.events());
        assertEquals(2, first.next());
        // The reply was lost: the same cursor gets the same events, nothing is repeated beyond them or lost.
        assertEquals(first, log.read(0, 10));
        log.append(new Partial("c"));
        TapEventLog.Read second = log.read(2, 10);
        assertEquals(List.of(new Partial("c")), second.events());
        assertEquals(3, second.next());
        assertEquals(1, log.pending(), "events before cursor 2 are dropped");
    }

    @Test
    void aReadCarriesAtMostMaxAndTheRestFollowFromItsNextCursor() {
        TapEventLog log = new TapEventLog(10);
        for (int i = 0; i < 5; i++) {
            log.append(new Partial("p" + i));
        }
        TapEventLog.Read r = log.read(0, 2);
        assertEquals(List.of(new Partial("p0"), new Partial("p1")), r.events());
        assertEquals(2, r.next());
        assertEquals(List.of(new Partial("p2"), new Partial("p3"), new Partial("p4")), log.read(r.next(), 10).events());
        assertEquals(List.of(), log.read(99, 10).events(), "a cursor past the end reads from the end");
        assertEquals(5, log.read(99, 10).next());
    }

    @Test
    void whenFullResultsAreDroppedButTheEndStillGetsIn() {
        TapEventLog log = new TapEventLog(2);
        assertTrue(log.append(new Partial("a")));
        assertTrue(log.append(fin("a")));
        assertFalse(log.append(new Partial("b")));
        assertFalse(log.append(fin("b")));
        assertEquals(2, log.dropped());
        assertTrue(log.append(ENDED), "the terminal status always gets in");
        assertFalse(log.append(new Partial("late")), "nothing after the end");
        assertTrue(log.ended());
        assertFalse(log.drained(), "the end was not collected yet");
        TapEventLog.Read all = log.read(0, 10);
        assertEquals(List.of(new Partial("a"), fin("a"), ENDED), all.events());
        assertFalse(log.drained());
        log.read(all.next(), 10);
        assertTrue(log.drained(), "acknowledged up to the end");
    }
}
