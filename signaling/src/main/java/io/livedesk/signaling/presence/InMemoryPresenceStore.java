package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Presence kept in this JVM (one node). Every operation runs under one lock, which
 * {@link io.livedesk.signaling.routing.InMemoryRoutingStore} shares through {@link #withMembers} so that
 * load, status and offers change together.
 */
public final class InMemoryPresenceStore implements PresenceStore {

    private final Object lock = new Object();
    private final Map<Subject, StaffPresence> members = new HashMap<>();

    @Override
    public StaffPresence connect(StaffProfile profile, long nowMs) {
        synchronized (lock) {
            StaffPresence old = members.get(profile.id());
            StaffPresence now = old == null
                    ? new StaffPresence(profile, StaffStatus.AWAY, 0, true, nowMs, nowMs)
                    : new StaffPresence(profile, old.status(), old.load(), true, old.idleSinceMs(), nowMs);
            members.put(profile.id(), now);
            return now;
        }
    }

    @Override
    public Optional<StaffPresence> disconnect(Subject staffId, long nowMs) {
        synchronized (lock) {
            return Optional.ofNullable(members.computeIfPresent(staffId, (id, p) ->
                    new StaffPresence(p.profile(), p.status(), p.load(), false, p.idleSinceMs(), p.lastActivityMs())));
        }
    }

    @Override
    public Optional<StaffPresence> setStatus(Subject staffId, StaffStatus status, long nowMs) {
        if (status == StaffStatus.BUSY) {
            throw new IllegalArgumentException("BUSY is derived from load, it cannot be chosen");
        }
        synchronized (lock) {
            return Optional.ofNullable(members.computeIfPresent(staffId, (id, p) -> {
                // Only a change to AVAILABLE starts a new idle period: choosing it again keeps one's place.
                boolean newIdlePeriod = status == StaffStatus.AVAILABLE && p.status() != StaffStatus.AVAILABLE
                        && p.load() == 0;
                return new StaffPresence(p.profile(), status, p.load(), p.connected(),
                        newIdlePeriod ? nowMs : p.idleSinceMs(), nowMs);
            }));
        }
    }

    @Override
    public void touch(Subject staffId, long nowMs) {
        synchronized (lock) {
            members.computeIfPresent(staffId, (id, p) ->
                    new StaffPresence(p.profile(), p.status(), p.load(), p.connected(), p.idleSinceMs(), nowMs));
        }
    }

    @Override
    public Optional<StaffPresence> get(Subject staffId) {
        synchronized (lock) {
            return Optional.ofNullable(members.get(staffId));
        }
    }

    @Override
    public List<StaffPresence> list() {
        synchronized (lock) {
            return new ArrayList<>(members.values());
        }
    }

    @Override
    public void remove(Subject staffId) {
        synchronized (lock) {
            members.remove(staffId);
        }
    }

    /**
     * Runs {@code action} holding the presence lock, with the live (mutable) map of members by id. For the
     * in-memory routing store only: it changes load atomically with offers. The action must not block.
     */
    public <T> T withMembers(Function<Map<Subject, StaffPresence>, T> action) {
        synchronized (lock) {
            return action.apply(members);
        }
    }
}
