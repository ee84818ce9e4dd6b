package io.livedesk.signaling.call;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest revision of each call record this node has read or written: what the node puts back when the
 * shared store comes back empty (see {@code session.StoreRecovery}). The node that made a record's last
 * change always holds that change, so between them the nodes hold every call's latest revision. Records are
 * forgotten when they have not been seen for a while: ended ones after {@code endedRetention}, others after
 * {@code retention}. With a store that cannot lose its data (one node, in memory) nothing is kept.
 */
public final class KnownCalls {

    private record Seen(CallRecord record, long atMs) {
    }

    private final ConcurrentHashMap<CallId, Seen> calls = new ConcurrentHashMap<>();
    private final boolean enabled;
    private final Clock clock;
    private final long endedRetentionMs;
    private final long retentionMs;

    private KnownCalls(boolean enabled, Clock clock, Duration endedRetention, Duration retention) {
        this.enabled = enabled;
        this.clock = clock;
        this.endedRetentionMs = endedRetention.toMillis();
        this.retentionMs = retention.toMillis();
    }

    public static KnownCalls keeping(Clock clock, Duration endedRetention, Duration retention) {
        return new KnownCalls(true, clock, endedRetention, retention);
    }

    /** For a store that never loses its data: remembers nothing. */
    public static KnownCalls none() {
        return new KnownCalls(false, Clock.systemUTC(), Duration.ZERO, Duration.ZERO);
    }

    /** Keeps the record unless a newer revision of it is known. */
    public void remember(CallRecord record) {
        if (!enabled) {
            return;
        }
        long now = clock.millis();
        calls.merge(record.callId(), new Seen(record, now),
                (old, seen) -> old.record().revision() > record.revision() ? new Seen(old.record(), now) : seen);
    }

    public Optional<CallRecord> get(CallId callId) {
        return Optional.ofNullable(calls.get(callId)).map(Seen::record);
    }

    /** Every record known now, in no particular order. */
    public List<CallRecord> all() {
        return calls.values().stream().map(Seen::record).toList();
    }

    /** Forgets records not seen within their retention (run periodically). */
    public void prune() {
        long now = clock.millis();
        calls.values().removeIf(s -> now - s.atMs()
                > (s.record().state() == CallState.ENDED ? endedRetentionMs : retentionMs));
    }

    public int size() {
        return calls.size();
    }
}
