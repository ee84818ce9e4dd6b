package io.livedesk.signaling.server;

import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The authenticated connections on this node, by subject (one each: a new sign-in replaces the old). */
public final class LocalConnections {
    private final ConcurrentHashMap<Subject, ClientConnection> bySubject = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ClientConnection> all = new ConcurrentHashMap<>();
    /** Staff and supervisors signed in here: a few among thousands of customers and viewers. */
    private final ConcurrentHashMap<Subject, ClientConnection> serving = new ConcurrentHashMap<>();
    private final Set<ClientConnection> waiting = ConcurrentHashMap.newKeySet();

    /** Where connections note that their request waits (see {@link ClientConnection#startWaiting}). */
    public Set<ClientConnection> waitingIndex() {
        return waiting;
    }

    public void opened(ClientConnection c) {
        all.put(c.id(), c);
    }

    /** Registers an authenticated connection; returns the one it replaces on this node. */
    public Optional<ClientConnection> bind(Subject subject, ClientConnection c) {
        if (c.principal() != null && c.principal().role().serves()) {
            serving.put(subject, c);
        }
        return Optional.ofNullable(bySubject.put(subject, c)).filter(old -> old != c);
    }

    /** Removes the connection; returns whether it was the subject's current one. */
    public boolean closed(ClientConnection c) {
        all.remove(c.id());
        waiting.remove(c);
        if (c.principal() != null) {
            serving.remove(c.principal().subject(), c);
        }
        return c.principal() != null && bySubject.remove(c.principal().subject(), c);
    }

    public Optional<ClientConnection> get(Subject subject) {
        return Optional.ofNullable(bySubject.get(subject));
    }

    public Optional<ClientConnection> byConnectionId(String connectionId) {
        return Optional.ofNullable(all.get(connectionId));
    }

    public Collection<ClientConnection> authenticated() {
        return bySubject.values();
    }

    public List<ClientConnection> withRole(Role role) {
        return bySubject.values().stream().filter(c -> c.principal().role() == role).toList();
    }

    /** Staff and supervisors signed in here: whom this node's routing sweep offers work. */
    public List<Subject> staffHere() {
        return List.copyOf(serving.keySet());
    }

    /** Customers (and viewers who asked for a consultation) signed in here whose request waits in a queue. */
    public List<ClientConnection> customersWaiting() {
        return waiting.stream()
                .filter(c -> c.isWaiting() && c.principal() != null && bySubject.get(c.principal().subject()) == c)
                .toList();
    }

    public Collection<ClientConnection> everyone() {
        return all.values();
    }

    public int size() {
        return all.size();
    }
}
