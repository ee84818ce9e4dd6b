package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Call records kept in this JVM (one node). Like the Redis store, it keeps the newest
 * {@link #RECENT_LIMIT} calls for {@link #recent}; an ended call that falls out of them is forgotten.
 */
public final class InMemoryCallStore implements CallStore {

    /** How many calls {@link #recent} can reach; older ended records are dropped so memory stays bounded. */
    public static final int RECENT_LIMIT = 10_000;

    private static final Comparator<CallRecord> CREATION_ORDER = Comparator.comparingLong(CallRecord::enqueuedAtMs)
            .thenComparing(r -> r.callId().value());

    private final Map<CallId, CallRecord> records = new HashMap<>();
    /** Records as created (the first version), ordered by enqueue time then id: the recent index. */
    private final TreeSet<CallRecord> recentIndex = new TreeSet<>(CREATION_ORDER);
    private final Map<Subject, CallId> liveCallBySubject = new HashMap<>();
    private final Map<Subject, CallId> lastCallBySubject = new HashMap<>();
    /** Per person, their calls' first versions in creation order, at most HISTORY_LIMIT. */
    private final Map<Subject, TreeSet<CallRecord>> historyBySubject = new HashMap<>();
    /** The live calls' first versions in creation order. */
    private final TreeSet<CallRecord> liveIndex = new TreeSet<>(CREATION_ORDER);

    @Override
    public synchronized void create(CallRecord record) {
        if (records.containsKey(record.callId())) {
            throw new IllegalStateException("call exists: " + record.callId());
        }
        records.put(record.callId(), record);
        index(null, record);
        if (record.asked().identified()) {
            addToHistory(record.customerId(), record);
        }
        recentIndex.add(record);
        while (recentIndex.size() > RECENT_LIMIT) {
            CallRecord oldest = records.get(recentIndex.pollFirst().callId());
            if (oldest != null && oldest.state() == CallState.ENDED) {
                records.remove(oldest.callId());
            }
        }
    }

    @Override
    public synchronized Optional<CallRecord> get(CallId callId) {
        return Optional.ofNullable(records.get(callId));
    }

    @Override
    public synchronized boolean compareAndSet(CallRecord expected, CallRecord updated) {
        CallId callId = expected.callId();
        if (!callId.equals(updated.callId())) {
            throw new IllegalArgumentException("record is for call " + updated.callId() + ", not " + callId);
        }
        CallRecord current = records.get(callId);
        if (current == null || current.state() != expected.state() || current.revision() != expected.revision()) {
            return false;
        }
        records.put(callId, updated);
        index(current, updated);
        return true;
    }

    /** Moves the live-call index from the old version's parties to the new version's. */
    private void index(CallRecord before, CallRecord after) {
        if (after.state().live()) {
            liveIndex.add(after);
        } else if (before != null && before.state().live()) {
            liveIndex.remove(before);
        }
        if (before != null && before.state().live()) {
            unindex(before.customerId(), before.callId());
            unindex(before.staffId(), before.callId());
        }
        if (after.state().live()) {
            if (after.customerId() != null) {
                liveCallBySubject.put(after.customerId(), after.callId());
                lastCallBySubject.put(after.customerId(), after.callId());
            }
            if (after.staffId() != null) {
                liveCallBySubject.put(after.staffId(), after.callId());
                lastCallBySubject.put(after.staffId(), after.callId());
                addToHistory(after.staffId(), after);
            }
        }
    }

    private void addToHistory(Subject subject, CallRecord record) {
        TreeSet<CallRecord> calls = historyBySubject.computeIfAbsent(subject, s -> new TreeSet<>(CREATION_ORDER));
        calls.add(record);
        while (calls.size() > HISTORY_LIMIT) {
            calls.pollFirst();
        }
    }

    private void unindex(Subject subject, CallId callId) {
        if (subject != null) {
            liveCallBySubject.remove(subject, callId);
        }
    }

    @Override
    public synchronized Optional<CallRecord> liveCallOf(Subject subject) {
        CallId callId = liveCallBySubject.get(subject);
        return callId == null ? Optional.empty() : Optional.ofNullable(records.get(callId));
    }

    @Override
    public synchronized Optional<CallRecord> lastCallOf(Subject subject) {
        CallId callId = lastCallBySubject.get(subject);
        return callId == null ? Optional.empty() : Optional.ofNullable(records.get(callId));
    }

    @Override
    public synchronized List<CallRecord> recent(int limit) {
        return current(recentIndex, limit);
    }

    @Override
    public synchronized List<CallRecord> history(Subject subject, int limit) {
        return current(historyBySubject.getOrDefault(subject, new TreeSet<>(CREATION_ORDER)), limit);
    }

    @Override
    public synchronized List<CallRecord> live(int limit) {
        return current(liveIndex, limit);
    }

    /** The current versions of the indexed calls still kept, newest first, at most {@code limit}. */
    private List<CallRecord> current(TreeSet<CallRecord> index, int limit) {
        List<CallRecord> out = new ArrayList<>();
        for (CallRecord created : index.descendingSet()) {
            if (out.size() >= limit) {
                break;
            }
            CallRecord current = records.get(created.callId());
            if (current != null) {
                out.add(current);
            }
        }
        return out;
    }
}
