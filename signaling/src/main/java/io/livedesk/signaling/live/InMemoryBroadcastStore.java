package io.livedesk.signaling.live;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Broadcast records kept in this JVM (one node). */
public final class InMemoryBroadcastStore implements BroadcastStore {

    /** The listing order, the same as the Redis indexes': scheduled time, then id. */
    private static final Comparator<Broadcast> SCHEDULE_ORDER = Comparator.comparingLong(Broadcast::scheduledAtMs)
            .thenComparing(b -> b.id().value());

    private final Map<BroadcastId, Broadcast> records = new HashMap<>();

    @Override
    public synchronized void create(Broadcast broadcast) {
        if (records.putIfAbsent(broadcast.id(), broadcast) != null) {
            throw new IllegalStateException("broadcast exists: " + broadcast.id());
        }
    }

    @Override
    public synchronized Optional<Broadcast> get(BroadcastId id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized boolean compareAndSet(Broadcast expected, Broadcast updated) {
        BroadcastId id = expected.id();
        if (!id.equals(updated.id())) {
            throw new IllegalArgumentException("record is for broadcast " + updated.id() + ", not " + id);
        }
        Broadcast current = records.get(id);
        if (current == null || current.state() != expected.state() || current.revision() != expected.revision()) {
            return false;
        }
        records.put(id, updated.withCounters(current.peakViewers(), current.uniqueViewers(), current.counts()));
        return true;
    }

    /** Walks every record: a node holds few broadcasts, so an index would cost more than it saves. */
    @Override
    public synchronized List<Broadcast> list(Set<BroadcastState> states, int limit) {
        return records.values().stream()
                .filter(b -> states.contains(b.state()))
                .sorted(SCHEDULE_ORDER)
                .limit(Math.max(0, limit))
                .toList();
    }

    @Override
    public boolean addCounts(BroadcastId id, BroadcastCounts delta) {
        return updateCounters(id, b -> b.withCounters(b.peakViewers(), b.uniqueViewers(), b.counts().plus(delta)));
    }

    @Override
    public boolean notePeak(BroadcastId id, int viewers) {
        return updateCounters(id, b -> b.withCounters(Math.max(b.peakViewers(), viewers), b.uniqueViewers(), b.counts()));
    }

    @Override
    public boolean noteUnique(BroadcastId id, long unique) {
        return updateCounters(id, b -> b.withCounters(b.peakViewers(), Math.max(b.uniqueViewers(), unique), b.counts()));
    }

    private synchronized boolean updateCounters(BroadcastId id, UnaryOperator<Broadcast> change) {
        return records.computeIfPresent(id, (key, b) -> change.apply(b)) != null;
    }
}
