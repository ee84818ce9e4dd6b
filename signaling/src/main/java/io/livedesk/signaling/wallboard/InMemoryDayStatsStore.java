package io.livedesk.signaling.wallboard;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The day's counters in this JVM (one node); only the newest {@code keepDays} days are kept. */
public final class InMemoryDayStatsStore implements DayStatsStore {
    private final int keepDays;
    private final TreeMap<LocalDate, Map<DayCounter, Long>> days = new TreeMap<>();

    public InMemoryDayStatsStore(int keepDays) {
        if (keepDays < 1) {
            throw new IllegalArgumentException("keepDays must be at least 1");
        }
        this.keepDays = keepDays;
    }

    @Override
    public synchronized CompletionStage<Void> add(LocalDate day, Map<DayCounter, Long> increments) {
        Map<DayCounter, Long> counters = days.computeIfAbsent(day, d -> new HashMap<>());
        increments.forEach((c, delta) -> counters.merge(c, delta, Long::sum));
        while (days.size() > keepDays) {
            days.pollFirstEntry();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Map<DayCounter, Long> read(LocalDate day) {
        return Map.copyOf(days.getOrDefault(day, Map.of()));
    }
}
