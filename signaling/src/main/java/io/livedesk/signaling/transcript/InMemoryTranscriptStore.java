package io.livedesk.signaling.transcript;

import io.livedesk.signaling.call.CallId;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Transcripts kept in this JVM (one node), with the limits of {@link TranscriptLimits}: lines per call,
 * retention after the last line, and a bound on the number of calls so memory stays bounded.
 */
public final class InMemoryTranscriptStore implements TranscriptStore {

    private static final class CallLines {
        final ArrayDeque<TranscriptLine> lines = new ArrayDeque<>();
        long nextSeq = 1;
        long lastAppendMs;
    }

    private final TranscriptLimits limits;
    private final Clock clock;
    /** In order of last append, oldest first: expiry and the call bound both drop from the front. */
    private final LinkedHashMap<CallId, CallLines> calls = new LinkedHashMap<>();

    public InMemoryTranscriptStore(TranscriptLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public synchronized TranscriptLine append(TranscriptLine line) {
        long now = clock.millis();
        dropExpired(now);
        CallLines c = calls.remove(line.callId()); // put back below, at the end of the order
        if (c == null) {
            c = new CallLines();
        }
        TranscriptLine stored = line.withSeq(c.nextSeq++);
        c.lines.addLast(stored);
        while (c.lines.size() > limits.maxLines()) {
            c.lines.removeFirst();
        }
        c.lastAppendMs = now;
        calls.put(line.callId(), c);
        Iterator<CallId> oldest = calls.keySet().iterator();
        while (calls.size() > limits.memoryCalls()) {
            oldest.next();
            oldest.remove();
        }
        return stored;
    }

    @Override
    public synchronized List<TranscriptLine> lines(CallId callId) {
        dropExpired(clock.millis());
        CallLines c = calls.get(callId);
        return c == null ? List.of() : List.copyOf(c.lines);
    }

    private void dropExpired(long now) {
        long ttl = limits.retention().toMillis();
        for (Iterator<Map.Entry<CallId, CallLines>> it = calls.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().lastAppendMs < ttl) {
                break; // the rest were appended to later
            }
            it.remove();
        }
    }
}
