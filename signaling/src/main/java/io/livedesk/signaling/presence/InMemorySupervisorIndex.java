package io.livedesk.signaling.presence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The supervisor index of one node, in this JVM. */
public final class InMemorySupervisorIndex implements SupervisorIndex {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    @Override
    public void add(String supervisorId) {
        ids.add(supervisorId);
    }

    @Override
    public void remove(String supervisorId) {
        ids.remove(supervisorId);
    }

    @Override
    public Set<String> all() {
        return Set.copyOf(ids);
    }
}
