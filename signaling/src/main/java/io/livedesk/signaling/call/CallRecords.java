package io.livedesk.signaling.call;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * The call records as routing and calls both change them: every change is a compare-and-set on the store,
 * retried when another node changed the record first, so concurrent changes on any nodes never overwrite
 * each other.
 */
public final class CallRecords {
    private static final Logger log = LoggerFactory.getLogger(CallRecords.class);
    private static final int CAS_ATTEMPTS = 8;

    private final CallStore store;
    private final KnownCalls known;
    private final ServiceEvents events;

    public CallRecords(CallStore store) {
        this(store, KnownCalls.none());
    }

    public CallRecords(CallStore store, KnownCalls known) {
        this(store, known, ServiceEvents.NONE);
    }

    /**
     * @param known  where every record read or written through here is remembered, for {@link #restore}
     * @param events told of every change that lands here (not of records put back by {@link #restore})
     */
    public CallRecords(CallStore store, KnownCalls known, ServiceEvents events) {
        this.store = store;
        this.known = known;
        this.events = events;
    }

    /**
     * A change written by a store step of its own (an accept made in one step with routing) landed: remembered
     * and told as any change made here.
     */
    public void landed(CallRecord before, CallRecord after) {
        known.remember(after);
        events.callChanged(before, after);
    }

    public void create(CallRecord record) {
        store.create(record);
        known.remember(record);
    }

    public Optional<CallRecord> get(CallId callId) {
        return seen(store.get(callId));
    }

    public Optional<CallRecord> liveCallOf(Subject subject) {
        return seen(store.liveCallOf(subject));
    }

    public Optional<CallRecord> lastCallOf(Subject subject) {
        return seen(store.lastCallOf(subject));
    }

    /** The live calls, newest first, at most {@code limit} (not remembered: a scan, not a use). */
    public List<CallRecord> live(int limit) {
        return store.live(limit);
    }

    private Optional<CallRecord> seen(Optional<CallRecord> record) {
        record.ifPresent(known::remember);
        return record;
    }

    /** Who is told of what happens to calls (routing tells it of released offers too). */
    public ServiceEvents events() {
        return events;
    }

    /** The records this node has seen (see {@link KnownCalls}). */
    public KnownCalls known() {
        return known;
    }

    /**
     * What {@link #restore} did.
     *
     * @param stored   the record stored now (the one given, or a newer one already there)
     * @param written  whether the one given was written
     * @param replaced the older record it was written over; null when the call was absent or nothing was written
     */
    public record Restored(CallRecord stored, boolean written, CallRecord replaced) {
    }

    /**
     * Puts back a record after the store lost its data: written when the call is absent or stored with an
     * older revision (another node may have put back a newer one already), with the live-call index following
     * it as on any change.
     */
    public Restored restore(CallRecord record) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Optional<CallRecord> current = store.get(record.callId());
            if (current.isEmpty()) {
                try {
                    store.create(record);
                    known.remember(record);
                    return new Restored(record, true, null);
                } catch (IllegalStateException putBackMeanwhile) {
                    continue;
                }
            }
            if (current.get().revision() >= record.revision()) {
                known.remember(current.get());
                return new Restored(current.get(), false, null);
            }
            if (store.compareAndSet(current.get(), record)) {
                known.remember(record);
                return new Restored(record, true, current.get());
            }
        }
        throw new IllegalStateException("call " + record.callId() + " kept changing while it was put back");
    }

    /**
     * Applies a change with compare-and-set. The change returns null when it no longer applies (then
     * nothing is written and the result is empty); it may run more than once, so it must not have effects.
     * It is first tried on the newest revision this node knows ({@link KnownCalls}), which is usually the
     * stored one: then a change costs one store call instead of a read and a write. A stale guess only
     * fails the compare-and-set (or makes the change not apply), and the record is read from the store.
     */
    public Optional<CallRecord> update(CallId callId, UnaryOperator<CallRecord> change) {
        return update(callId, change, (expected, next) -> store.compareAndSet(expected, next)
                ? Optional.of(Boolean.TRUE) : Optional.empty()).map(Changed::record);
    }

    /**
     * Writes a change that {@link #update(CallId, UnaryOperator)} decided on: a compare-and-set of
     * {@code expected} to {@code next} with, maybe, more done in the same store step. Empty when the record
     * changed first (then nothing may have been done); else what was done besides.
     */
    @FunctionalInterface
    public interface Write<T> {
        Optional<T> write(CallRecord expected, CallRecord next);
    }

    /** {@link Write} without waiting for the store: its stage may complete on the store's I/O thread. */
    @FunctionalInterface
    public interface AsyncWrite<T> {
        CompletionStage<Optional<T>> write(CallRecord expected, CallRecord next);
    }

    /** A change that landed, and what its write did besides. */
    public record Changed<T>(CallRecord record, T outcome) {
    }

    /**
     * {@link #update(CallId, UnaryOperator)} with the compare-and-set made by {@code write}, which may do more
     * in the same store step (end a call and free its staff member together). Retried like it.
     */
    public <T> Optional<Changed<T>> update(CallId callId, UnaryOperator<CallRecord> change, Write<T> write) {
        // Every stage is complete when made, and the direct executor keeps each retry on this thread.
        return Stages.await(update(callId, change, (expected, next) -> Stages.now(() -> write.write(expected, next)),
                Runnable::run));
    }

    /**
     * {@link #update(CallId, UnaryOperator, Write)} without waiting for the write: the stage completes once a
     * write landed or the change stopped applying. A retry (and the caller's next step) goes on on
     * {@code afterStore}, because it may read the store.
     */
    public <T> CompletionStage<Optional<Changed<T>>> update(CallId callId, UnaryOperator<CallRecord> change,
                                                            AsyncWrite<T> write, Executor afterStore) {
        return attempt(callId, change, write, afterStore, known.get(callId), false, 0);
    }

    private <T> CompletionStage<Optional<Changed<T>>> attempt(CallId callId, UnaryOperator<CallRecord> change,
                                                              AsyncWrite<T> write, Executor afterStore,
                                                              Optional<CallRecord> current, boolean fromStore,
                                                              int attempt) {
        for (int tried = attempt; tried < CAS_ATTEMPTS; tried++) {
            if (current.isEmpty()) {
                current = store.get(callId);
                fromStore = true;
                if (current.isEmpty()) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
            }
            CallRecord next = change.apply(current.get());
            if (next == null) {
                if (fromStore) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                current = Optional.empty(); // judged on the guess: judge again on the stored record
                continue;
            }
            int done = tried + 1;
            CallRecord expected = current.get();
            return Stages.composeOn(write.write(expected, next), afterStore, outcome -> {
                if (outcome.isPresent()) {
                    landed(expected, next);
                    return CompletableFuture.completedFuture(Optional.of(new Changed<>(next, outcome.get())));
                }
                return attempt(callId, change, write, afterStore, Optional.empty(), false, done);
            });
        }
        log.warn("call {} changed under us {} times; giving up this update", callId, CAS_ATTEMPTS);
        return CompletableFuture.completedFuture(Optional.empty());
    }
}
