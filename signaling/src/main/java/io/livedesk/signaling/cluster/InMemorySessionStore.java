package io.livedesk.signaling.cluster;

import io.livedesk.signaling.auth.Subject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sessions kept in this JVM (one node). */
public final class InMemorySessionStore implements SessionStore {

    /** A subject whose connection closed: where it was and when. */
    private record Gone(SessionLocation location, long disconnectedAtMs) {
    }

    private static final Comparator<Gone> DISCONNECT_ORDER = Comparator.comparingLong(Gone::disconnectedAtMs)
            .thenComparing(g -> g.location().subject());

    private final Map<Subject, SessionLocation> bound = new HashMap<>();
    private final Map<Subject, Gone> disconnected = new HashMap<>();

    @Override
    public synchronized Optional<SessionLocation> bind(SessionLocation location, long nowMs) {
        disconnected.remove(location.subject());
        SessionLocation replaced = bound.put(location.subject(), location);
        return Optional.ofNullable(replaced).filter(old -> !old.equals(location));
    }

    @Override
    public synchronized boolean unbind(SessionLocation location, long nowMs) {
        SessionLocation current = bound.get(location.subject());
        if (current == null || !sameConnection(current, location)) {
            return false;
        }
        bound.remove(location.subject());
        disconnected.put(location.subject(), new Gone(current, nowMs));
        return true;
    }

    private static boolean sameConnection(SessionLocation a, SessionLocation b) {
        return a.nodeId().equals(b.nodeId()) && a.connectionId().equals(b.connectionId());
    }

    @Override
    public synchronized Optional<SessionLocation> locate(Subject subject) {
        return Optional.ofNullable(bound.get(subject));
    }

    @Override
    public synchronized List<SessionLocation> claimExpired(long disconnectedAtOrBeforeMs, int max) {
        List<Gone> expired = disconnected.values().stream()
                .filter(g -> g.disconnectedAtMs() <= disconnectedAtOrBeforeMs)
                .sorted(DISCONNECT_ORDER)
                .limit(Math.max(0, max))
                .toList();
        List<SessionLocation> out = new ArrayList<>();
        for (Gone g : expired) {
            disconnected.remove(g.location().subject());
            out.add(g.location());
        }
        return out;
    }

    @Override
    public synchronized List<SessionLocation> disconnectNode(String nodeId, long nowMs) {
        List<SessionLocation> out = boundOn(nodeId);
        for (SessionLocation location : out) {
            bound.remove(location.subject());
            disconnected.put(location.subject(), new Gone(location, nowMs));
        }
        return out;
    }

    @Override
    public synchronized List<SessionLocation> boundOn(String nodeId) {
        return bound.values().stream().filter(l -> l.nodeId().equals(nodeId)).toList();
    }
}
