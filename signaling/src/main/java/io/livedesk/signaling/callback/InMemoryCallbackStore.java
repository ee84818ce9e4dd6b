package io.livedesk.signaling.callback;

import io.livedesk.signaling.auth.Subject;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The callback requests of a single node, in this JVM: one lock, so every step is atomic. */
public final class InMemoryCallbackStore implements CallbackStore {
    private final Clock clock;
    private final long retentionMs;
    private final Map<CallbackId, CallbackRequest> byId = new HashMap<>();
    private final Map<Subject, CallbackId> activeByCustomer = new HashMap<>();

    public InMemoryCallbackStore(Clock clock, Duration retention) {
        this.clock = clock;
        this.retentionMs = retention.toMillis();
    }

    @Override
    public synchronized Optional<CallbackRequest> create(CallbackRequest request) {
        purge();
        CallbackId existing = activeByCustomer.get(request.customerId());
        if (existing != null) {
            return Optional.of(byId.get(existing));
        }
        byId.put(request.id(), request);
        activeByCustomer.put(request.customerId(), request.id());
        return Optional.empty();
    }

    @Override
    public synchronized Optional<CallbackRequest> get(CallbackId id) {
        purge();
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<CallbackRequest> open(int limit) {
        return byId.values().stream().filter(r -> r.state() == CallbackState.OPEN)
                .sorted(Comparator.comparingLong(CallbackRequest::createdAtMs).thenComparing(r -> r.id().value()))
                .limit(Math.max(0, Math.min(limit, OPEN_LIMIT))).toList();
    }

    @Override
    public synchronized List<CallbackRequest> takenBy(Subject staffId) {
        return byId.values().stream().filter(r -> r.state() == CallbackState.TAKEN && r.staffId().equals(staffId))
                .sorted(Comparator.comparingLong(CallbackRequest::takenAtMs).thenComparing(r -> r.id().value()))
                .toList();
    }

    @Override
    public synchronized Optional<CallbackRequest> activeOf(Subject customerId) {
        return Optional.ofNullable(activeByCustomer.get(customerId)).map(byId::get);
    }

    @Override
    public synchronized Optional<CallbackRequest> take(CallbackId id, Subject staffId, long nowMs) {
        CallbackRequest r = byId.get(id);
        if (r == null || r.state() != CallbackState.OPEN) {
            return Optional.empty();
        }
        CallbackRequest taken = r.takenBy(staffId, nowMs);
        byId.put(id, taken);
        return Optional.of(taken);
    }

    @Override
    public synchronized Optional<CallbackRequest> close(CallbackId id, Subject closer, boolean anyone,
                                                       CallbackOutcome outcome, String note, long nowMs) {
        CallbackRequest r = byId.get(id);
        if (r == null || r.state() == CallbackState.CLOSED) {
            return Optional.empty();
        }
        boolean holder = r.state() == CallbackState.TAKEN && r.staffId().equals(closer);
        if (!holder && !anyone) {
            return Optional.empty();
        }
        CallbackRequest held = r.state() == CallbackState.OPEN ? r.takenBy(closer, nowMs) : r;
        CallbackRequest closed = held.closed(outcome, note, nowMs);
        byId.put(id, closed);
        activeByCustomer.remove(r.customerId(), id);
        return Optional.of(closed);
    }

    @Override
    public synchronized long countOpen() {
        return byId.values().stream().filter(r -> r.state() == CallbackState.OPEN).count();
    }

    /** Closed requests past their retention go. */
    private void purge() {
        long cutoff = clock.millis() - retentionMs;
        byId.values().removeIf(r -> r.state() == CallbackState.CLOSED && r.closedAtMs() < cutoff);
    }
}
