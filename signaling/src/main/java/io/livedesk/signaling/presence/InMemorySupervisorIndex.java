package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The supervisor index of one node, in this JVM. */
public final class InMemorySupervisorIndex implements SupervisorIndex {
    private final Set<Subject> ids = ConcurrentHashMap.newKeySet();

    @Override
    public void add(Subject supervisorId) {
        ids.add(supervisorId);
    }

    @Override
    public void remove(Subject supervisorId) {
        ids.remove(supervisorId);
    }

    @Override
    public Set<Subject> all() {
        return Set.copyOf(ids);
    }
}
