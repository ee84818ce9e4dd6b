package io.livedesk.signaling.call;

import java.util.List;
import java.util.Optional;

/**
 * Call records. Updates are compare-and-set on the state so that two nodes ending the same call
 * cannot both succeed. Both implementations pass {@code CallStoreContract}.
 */
public interface CallStore {

    /** Stores a new record; throws IllegalStateException if the id exists. */
    void create(CallRecord record);

    Optional<CallRecord> get(String callId);

    /**
     * Replaces the record if its stored state is still {@code expected}; returns whether it did.
     * Keeps the live-call index: a record entering CONNECTING/ACTIVE is indexed under both parties,
     * one leaving them is removed from it.
     */
    boolean compareAndSet(String callId, CallState expected, CallRecord updated);

    /** The live (CONNECTING or ACTIVE) call a subject is a party of, if any. */
    Optional<CallRecord> liveCallOf(String subject);

    /** Most recently created first, at most {@code limit}; only calls with this staff member when staffId is not null. */
    List<CallRecord> recent(int limit, String staffId);
}
