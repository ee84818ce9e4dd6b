package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;

import java.util.Set;

/**
 * Which members of staff signed in as supervisors, on any node. Presence knows who is connected but not
 * in which role; this index adds the role, so that alerts reach every supervisor connected anywhere
 * ({@link PresenceService#connectedSupervisors()}). Both implementations pass {@code SupervisorIndexContract}.
 */
public interface SupervisorIndex {

    /** The subject signed in as a supervisor. Idempotent. */
    void add(Subject supervisorId);

    /** The subject signed in in another role (or is gone for good). Idempotent. */
    void remove(Subject supervisorId);

    /** Every subject added and not removed since. */
    Set<Subject> all();
}
