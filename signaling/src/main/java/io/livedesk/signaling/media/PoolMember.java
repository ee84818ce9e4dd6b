package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.MeetingId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A member of the pool and what the pool believes of it: up or down, its last stats, the placements made
 * since those stats were asked for (so that conferences created between two checks do not all herd onto
 * the same bridge), and the conferences it lost when it went down (expired once it is back, before it
 * takes new ones), and whether it drains (as it last reported, or as an operator just set it through this
 * pool, whichever is newer). All state is guarded by this object's monitor; the bridge calls happen outside it.
 */
final class PoolMember {

    /** What a check or request outcome changed. */
    enum Change { NONE, WENT_DOWN, CAME_BACK }

    /** Placements counted at a moment, subtracted once stats asked for after that moment arrive. */
    record Pending(int conferences, int endpoints) {
    }

    private final MemberBridge member;
    private final int index;

    private boolean up = true; // optimistic: a pool takes calls as soon as it starts
    private int failures;
    private BridgeStats stats;
    private int pendingConferences;
    private int pendingEndpoints;
    private long timesDown;
    private long conferencesLost;
    private String lastFailure = "";
    private final Set<MeetingId> orphans = new HashSet<>();
    private boolean reportsMedia = true;
    private boolean draining;
    /** Raised by every drain change made here, so that stats asked for before it do not undo it. */
    private long drainChanges;

    PoolMember(MemberBridge member, int index) {
        this.member = member;
        this.index = index;
    }

    Bridge bridge() {
        return member.bridge();
    }

    MemberBridge.Kind kind() {
        return member.kind();
    }

    MemberBridge.HealthCheck health() {
        return member.health();
    }

    String id() {
        return member.bridge().id();
    }

    /** The region it is in: as configured, else as its last stats named it; null when neither says. */
    synchronized String region() {
        if (member.region() != null) {
            return member.region();
        }
        return stats == null ? null : stats.region();
    }

    /** Position in the configuration: the last tie-breaker, so that selection is deterministic. */
    int index() {
        return index;
    }

    synchronized boolean isUp() {
        return up;
    }

    synchronized BridgeStats stats() {
        return stats;
    }

    synchronized Pending pending() {
        return new Pending(pendingConferences, pendingEndpoints);
    }

    /** A conference and/or endpoints were just placed here through the pool. */
    synchronized void placed(int conferences, int endpoints) {
        pendingConferences += conferences;
        pendingEndpoints += endpoints;
    }

    /** Runs {@code action} unless the member is down, atomically with respect to it going down. */
    synchronized boolean ifUp(Runnable action) {
        if (!up) {
            return false;
        }
        action.run();
        return true;
    }

    /** Drain changes made through this pool so far: read before asking for stats, handed back with them. */
    synchronized long drainChanges() {
        return drainChanges;
    }

    /** Whether it drains: gets no new conferences. */
    synchronized boolean draining() {
        return draining;
    }

    /** An operator drained or undrained it through this pool, and the bridge accepted: true at once here. */
    synchronized void markDraining(boolean enable) {
        draining = enable;
        drainChanges++;
    }

    /** Stats asked for when {@code drainChangesBefore} drain changes had been made here. */
    private void reported(BridgeStats fresh, long drainChangesBefore) {
        stats = fresh;
        if (drainChanges == drainChangesBefore) {
            draining = fresh.draining();
        }
    }

    /** A check succeeded with these stats, asked for when {@code before} was pending. */
    synchronized Change succeeded(BridgeStats fresh, Pending before, long drainChangesBefore) {
        reported(fresh, drainChangesBefore);
        pendingConferences = Math.max(0, pendingConferences - before.conferences());
        pendingEndpoints = Math.max(0, pendingEndpoints - before.endpoints());
        failures = 0;
        if (!up) {
            up = true;
            return Change.CAME_BACK;
        }
        return Change.NONE;
    }

    /** Failed checks or requests since the last success. */
    synchronized int failures() {
        return failures;
    }

    /**
     * The bridge answered its check but called itself unhealthy or shutting down: a failure, with stats; down at
     * {@code threshold} such checks (1 for shutting down: its calls must move while it still serves them).
     */
    synchronized Change unhealthy(BridgeStats fresh, long drainChangesBefore, String reason, int threshold) {
        reported(fresh, drainChangesBefore);
        return failed(reason, threshold);
    }

    /** A check or request failed; the member goes down at {@code threshold} consecutive failures. */
    synchronized Change failed(String reason, int threshold) {
        failures++;
        lastFailure = reason;
        if (up && failures >= threshold) {
            up = false;
            timesDown++;
            pendingConferences = 0;
            pendingEndpoints = 0;
            return Change.WENT_DOWN;
        }
        return Change.NONE;
    }

    /** Conferences forgotten because this member went down; expired on it when it is back. */
    synchronized void lost(Collection<MeetingId> meetingIds) {
        conferencesLost += meetingIds.size();
        orphans.addAll(meetingIds);
    }

    /** A conference whose expiry could not reach this member; expired when it is back. */
    synchronized void orphan(MeetingId meetingId) {
        orphans.add(meetingId);
    }

    /** Whether it answers media-status requests: until it once said it cannot. */
    synchronized boolean reportsMedia() {
        return reportsMedia;
    }

    synchronized void noMediaStatus() {
        reportsMedia = false;
    }

    synchronized List<MeetingId> takeOrphans() {
        List<MeetingId> taken = new ArrayList<>(orphans);
        orphans.clear();
        return taken;
    }

    synchronized MemberStatus status(int assignedConferences) {
        return new MemberStatus(id(), kind(), up, draining, stats != null && stats.shuttingDown(), stats,
                assignedConferences, failures, timesDown, conferencesLost, lastFailure, region());
    }

    @Override
    public String toString() {
        return member.region() == null ? id() : id() + " (" + member.region() + ")";
    }
}
