package io.livedesk.signaling.media;

import io.livedesk.signaling.call.CallId;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Calls' media state in this JVM (one node: nobody takes its calls over, but the code path is the same). */
public final class InMemoryCallMediaStore implements CallMediaStore {
    private final Map<CallId, CallMediaState> states = new ConcurrentHashMap<>();

    @Override
    public Optional<CallMediaState> get(CallId callId) {
        return Optional.ofNullable(states.get(callId));
    }

    @Override
    public boolean compareAndSet(long expectedRevision, CallMediaState next) {
        CallMediaStore.checkNext(expectedRevision, next);
        boolean[] written = new boolean[1];
        states.compute(next.callId(), (id, stored) -> {
            long revision = stored == null ? 0 : stored.revision();
            written[0] = revision == expectedRevision;
            return written[0] ? next : stored;
        });
        return written[0];
    }

    @Override
    public void remove(CallId callId) {
        states.remove(callId);
    }
}
