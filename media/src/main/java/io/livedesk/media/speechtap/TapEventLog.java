package io.livedesk.media.speechtap;

import io.livedesk.speech.api.TranscriptEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One speech tap's results until the caller has them: events numbered from 0, read from a cursor; a read with
 * cursor {@code c} tells that every event before {@code c} arrived, so those are dropped, and a read that got lost
 * on the way is simply repeated with the same cursor. Bounded: when {@code capacity} events wait, a new partial or
 * final is dropped and counted (a caller that stopped reading is about to be taken as gone), but the terminal
 * status always gets in. Thread-safe.
 */
final class TapEventLog {
    /** Events read at once. */
    record Read(List<TranscriptEvent> events, long next) {
    }

    private final int capacity;
    private final Deque<TranscriptEvent> events = new ArrayDeque<>();
    /** The number of the first event in {@code events}. */
    private long first;
    private boolean ended;
    private long dropped;

    TapEventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds an event; false if it was dropped (full, or after the terminal status). */
    synchronized boolean append(TranscriptEvent event) {
        if (ended) {
            return false;
        }
        boolean terminal = event instanceof TranscriptEvent.Status;
        if (!terminal && events.size() >= capacity) {
            dropped++;
            return false;
        }
        events.addLast(event);
        ended = terminal;
        return true;
    }

    /**
     * Acknowledges the events before {@code cursor} and returns up to {@code max} from there. A cursor past the end
     * (a confused caller) reads from the end; one before the first event still held reads from the first.
     */
    synchronized Read read(long cursor, int max) {
        long next = first + events.size();
        long from = Math.max(first, Math.min(cursor, next));
        while (first < from) {
            events.removeFirst();
            first++;
        }
        List<TranscriptEvent> out = new ArrayList<>(Math.min(max, events.size()));
        for (TranscriptEvent e : events) {
            if (out.size() == max) {
                break;
            }
            out.add(e);
        }
        return new Read(out, from + out.size());
    }

    /** The terminal status was appended and acknowledged: nothing is left to deliver. */
    synchronized boolean drained() {
        return ended && events.isEmpty();
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Events waiting (appended, not acknowledged). */
    synchronized int pending() {
        return events.size();
    }

    synchronized long dropped() {
        return dropped;
    }
}
