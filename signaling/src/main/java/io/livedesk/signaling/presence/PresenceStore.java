package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;

import java.util.List;
import java.util.Optional;

/**
 * Where staff presence lives: in this JVM for one node, in Redis when several nodes share the work.
 * Both implementations pass {@code PresenceStoreContract}. A member's load is changed only by
 * {@link io.livedesk.signaling.routing.RoutingStore}, atomically with the offers and calls that cause it.
 */
public interface PresenceStore {

    /**
     * A member's connection opened (sign-in or reconnect). A member not yet known starts AWAY with load 0;
     * one already known (reconnecting within the grace period) keeps status and load. The profile is
     * replaced by the one given (the token is the truth). Marks them connected and active now.
     */
    StaffPresence connect(StaffProfile profile, long nowMs);

    /**
     * The member's connection closed; they keep status and load but are not routable until they
     * reconnect or are taken offline. Empty if unknown.
     */
    Optional<StaffPresence> disconnect(Subject staffId, long nowMs);

    /**
     * Sets the chosen status (AVAILABLE, AWAY or OFFLINE; BUSY is rejected with IllegalArgumentException).
     * Becoming AVAILABLE with load 0 starts a new idle period at now. Empty if the member is unknown.
     */
    Optional<StaffPresence> setStatus(Subject staffId, StaffStatus status, long nowMs);

    /** Records activity (a message or heartbeat). No-op for unknown members. */
    void touch(Subject staffId, long nowMs);

    Optional<StaffPresence> get(Subject staffId);

    /** Every known member, in no particular order. Offline members are included until {@link #remove}. */
    List<StaffPresence> list();

    /** Forgets a member entirely (signed out for good). */
    void remove(Subject staffId);
}
