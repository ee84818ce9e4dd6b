package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
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

    public CallRecords(CallStore store) {
        this.store = store;
    }

    public void create(CallRecord record) {
        store.create(record);
    }

    public Optional<CallRecord> get(CallId callId) {
        return store.get(callId);
    }

    public Optional<CallRecord> liveCallOf(Subject subject) {
        return store.liveCallOf(subject);
    }

    public Optional<CallRecord> lastCallOf(Subject subject) {
        return store.lastCallOf(subject);
    }

    /**
     * Applies a change with compare-and-set. The change returns null when it no longer applies (then
     * nothing is written and the result is empty); it may run more than once, so it must not have effects.
     */
    public Optional<CallRecord> update(CallId callId, UnaryOperator<CallRecord> change) {
        for (int i = 0; i < CAS_ATTEMPTS; i++) {
            Optional<CallRecord> current = store.get(callId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            CallRecord next = change.apply(current.get());
            if (next == null) {
                return Optional.empty();
            }
            if (store.compareAndSet(current.get(), next)) {
                return Optional.of(next);
            }
        }
        log.warn("call {} changed under us {} times; giving up this update", callId, CAS_ATTEMPTS);
        return Optional.empty();
    }
}
