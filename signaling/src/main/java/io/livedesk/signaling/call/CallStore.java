package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;

import java.util.List;
import java.util.Optional;

/**
 * Call records. Updates are compare-and-set on the record's state and revision, so that of two changes
 * made at once (two nodes ending the same call, a join during a transfer) only one lands. Both implementations pass {@code CallStoreContract}.
 */
public interface CallStore {

    /** Stores a new record; throws IllegalStateException if the id exists. */
    void create(CallRecord record);

    Optional<CallRecord> get(CallId callId);

    /**
     * Replaces the record if the stored one still has {@code expected}'s state and revision; returns
     * whether it did. Keeps the live-call index: a record entering CONNECTING/ACTIVE is indexed under its
     * customer and staff member, one leaving them (or a staff member handing it over) is removed from it.
     */
    boolean compareAndSet(CallRecord expected, CallRecord updated);

    /** The live (CONNECTING or ACTIVE) call a subject is a party of, if any. */
    Optional<CallRecord> liveCallOf(Subject subject);

    /**
     * The last call a subject was a live party of, live or since ended (while its record is kept): how a
     * party who was away when it ended learns how. Indexed when the live-call index is, never unindexed.
     */
    Optional<CallRecord> lastCallOf(Subject subject);

    /** How many calls {@link #history} keeps per person. */
    int HISTORY_LIMIT = 50;

    /** Most recently created first, at most {@code limit}. */
    List<CallRecord> recent(int limit);

    /**
     * A person's calls, most recently created first, at most {@code limit} (and at most {@link #HISTORY_LIMIT}):
     * for a staff member every call they answered, including those they transferred away; for a customer
     * every request they made (answered or not) while their token identified them ({@link CallRecord.Asked#identified}).
     * Records the store has since forgotten (see {@link #recent}) are left out.
     */
    List<CallRecord> history(Subject subject, int limit);

    /** The live (CONNECTING or ACTIVE) calls, most recently created first, at most {@code limit}. */
    List<CallRecord> live(int limit);
}
