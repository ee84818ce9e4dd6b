package io.livedesk.bench.wallboard;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * From when an event happened to when a wallboard showed it: for each event (in order) and each watcher, the
 * first snapshot that watcher received after the previous event happened that satisfies the event's
 * condition. A snapshot that arrived before the event's reply reached the generator counts as a delay of 0.
 */
final class EventDelays {

    /** @param atNanos when the generator read the reply to the request that made it happen */
    record Event(String kind, long atNanos, Predicate<JsonNode> shown) {
    }

    /** A wallboard snapshot one watcher received. */
    record Snapshot(long atNanos, JsonNode board) {
    }

    /** A delay in ns per (event, watcher) that saw it; {@code missed} counts the pairs that never did. */
    record Result(List<Long> delaysNanos, List<String> kinds, int missed) {
    }

    static Result measure(List<Event> events, List<List<Snapshot>> watchers) {
        List<Long> delays = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        int missed = 0;
        for (List<Snapshot> seen : watchers) {
            long after = Long.MIN_VALUE;
            for (Event e : events) {
                Snapshot hit = null;
                for (Snapshot s : seen) {
                    if (s.atNanos() > after && e.shown().test(s.board())) {
                        hit = s;
                        break;
                    }
                }
                if (hit == null) {
                    missed++;
                } else {
                    delays.add(Math.max(0, hit.atNanos() - e.atNanos()));
                    kinds.add(e.kind());
                }
                after = e.atNanos();
            }
        }
        return new Result(delays, kinds, missed);
    }
}
