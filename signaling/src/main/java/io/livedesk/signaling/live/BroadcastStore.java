package io.livedesk.signaling.live;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Broadcast records. A record's state and stage change by compare-and-set on its state and revision, so
 * that of two changes made at once (two nodes ending the same broadcast) only one lands. Its counters
 * change by atomic updates without compare-and-set, so that chat, likes and viewer counts never make a
 * state change fail, nor one another. Both implementations pass {@code BroadcastStoreContract}.
 */
public interface BroadcastStore {

    /** Stores a new record, counters included; throws IllegalStateException if the id exists. */
    void create(Broadcast broadcast);

    /** The record with its current counters. */
    Optional<Broadcast> get(BroadcastId id);

    /**
     * Replaces the record if the stored one still has {@code expected}'s state and revision; returns
     * whether it did. The counters are not replaced: the stored ones stay (those of {@code updated} may
     * be stale by the time it is written).
     */
    boolean compareAndSet(Broadcast expected, Broadcast updated);

    /**
     * The broadcasts in any of these states, soonest scheduled first (equal times by id), at most
     * {@code limit}: the upcoming and live ones for the livestream page.
     */
    List<Broadcast> list(Set<BroadcastState> states, int limit);

    /** Adds to the counters; false (and nothing stored) when there is no such broadcast. */
    boolean addCounts(BroadcastId id, BroadcastCounts delta);

    /** Raises the peak to {@code viewers} if that is higher; false when there is no such broadcast. */
    boolean notePeak(BroadcastId id, int viewers);

    /**
     * Raises the unique-viewer count to {@code unique} if that is higher (a late report from another node
     * never lowers it); false when there is no such broadcast.
     */
    boolean noteUnique(BroadcastId id, long unique);
}
