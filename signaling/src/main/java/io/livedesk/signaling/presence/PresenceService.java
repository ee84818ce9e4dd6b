package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.cluster.Outbox;
import io.livedesk.signaling.protocol.ServerMessage;

import java.time.Clock;
import java.util.Optional;

/** Staff presence as the rest of the server uses it: store changes plus telling the member. */
public final class PresenceService {
    private final PresenceStore store;
    private final Outbox outbox;
    private final Clock clock;

    public PresenceService(PresenceStore store, Outbox outbox, Clock clock) {
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    public static StaffProfile profileOf(Principal p) {
        return new StaffProfile(p.subject(), p.name(), p.skills(), p.languages(), p.capacity());
    }

    public StaffPresence connect(Principal staff) {
        return store.connect(profileOf(staff), clock.millis());
    }

    public void disconnect(String staffId) {
        store.disconnect(staffId, clock.millis());
    }

    public Optional<StaffPresence> setStatus(String staffId, StaffStatus status) {
        return store.setStatus(staffId, status, clock.millis());
    }

    public void touch(String staffId) {
        store.touch(staffId, clock.millis());
    }

    public Optional<StaffPresence> get(String staffId) {
        return store.get(staffId);
    }

    public java.util.List<StaffPresence> list() {
        return store.list();
    }

    public static ServerMessage.Presence view(String replyId, StaffPresence p) {
        return new ServerMessage.Presence(replyId, p.effectiveStatus().wire(), p.load(), p.profile().capacity());
    }

    /** Tells the member their presence as stored now (after the server changed their load or status). */
    public void notifyMember(String staffId) {
        store.get(staffId).ifPresent(p -> outbox.send(staffId, view(null, p)));
    }
}
