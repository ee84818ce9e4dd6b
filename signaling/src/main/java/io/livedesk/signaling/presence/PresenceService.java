package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.protocol.ServerMessage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Staff presence as the rest of the server uses it: store changes plus telling the member. */
public final class PresenceService {
    private final PresenceStore store;
    private final SupervisorIndex supervisors;
    private final MessageRouter router;
    private final Clock clock;

    public PresenceService(PresenceStore store, SupervisorIndex supervisors, MessageRouter router, Clock clock) {
        this.store = store;
        this.supervisors = supervisors;
        this.router = router;
        this.clock = clock;
    }

    public static StaffProfile profileOf(Principal p) {
        return new StaffProfile(p.subject(), p.name(), p.skills(), p.languages(), p.capacity());
    }

    public StaffPresence connect(Principal staff) {
        StaffPresence p = store.connect(profileOf(staff), clock.millis());
        if (staff.role() == Role.SUPERVISOR) {
            supervisors.add(staff.subject());
        } else {
            supervisors.remove(staff.subject()); // the same subject may have been a supervisor before
        }
        return p;
    }

    /**
     * Supervisors with a connection open on some node now (those in their reconnect grace period are not).
     * One presence read per supervisor ever signed in: meant for rare events such as alerts.
     */
    public List<Subject> connectedSupervisors() {
        List<Subject> out = new ArrayList<>();
        for (Subject id : supervisors.all()) {
            if (store.get(id).map(StaffPresence::connected).orElse(false)) {
                out.add(id);
            }
        }
        return out;
    }

    public void disconnect(Subject staffId) {
        store.disconnect(staffId, clock.millis());
    }

    public Optional<StaffPresence> setStatus(Subject staffId, StaffStatus status) {
        return store.setStatus(staffId, status, clock.millis());
    }

    public void touch(Subject staffId) {
        store.touch(staffId, clock.millis());
    }

    public Optional<StaffPresence> get(Subject staffId) {
        return store.get(staffId);
    }

    public java.util.List<StaffPresence> list() {
        return store.list();
    }

    public static ServerMessage.Presence view(String replyId, StaffPresence p) {
        return new ServerMessage.Presence(replyId, p.effectiveStatus().wire(), p.load(), p.profile().capacity());
    }

    /** Tells the member their presence as stored now (after the server changed their load or status). */
    public void notifyMember(Subject staffId) {
        store.get(staffId).ifPresent(this::tell);
    }

    /** Tells the member this presence, just read from the store. */
    public void tell(StaffPresence p) {
        router.send(p.profile().id(), view(null, p));
    }
}
