package io.livedesk.signaling.wallboard;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The day's service counters (answered, abandoned, talk time, …), shared by every node: each event is counted
 * by the one node whose store step made it happen, so a read sees the whole cluster's day. A day's counters are
 * kept for the configured retention. Both implementations pass {@code DayStatsStoreContract}.
 */
public interface DayStatsStore {

    /**
     * Adds the increments to the day's counters. Does not wait for the store: the stage completes when they
     * are counted (or fails; nothing else depends on it).
     */
    CompletionStage<Void> add(LocalDate day, Map<DayCounter, Long> increments);

    /** Every counter of the day that was ever added to (those never added to are absent, i.e. 0). */
    Map<DayCounter, Long> read(LocalDate day);
}
