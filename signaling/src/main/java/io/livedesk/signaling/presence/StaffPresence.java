package io.livedesk.signaling.presence;

import io.livedesk.signaling.auth.Subject;

/**
 * A staff member's presence as stored.
 *
 * @param status      the status the member chose (AVAILABLE, AWAY) or OFFLINE; never BUSY
 * @param load        offers ringing plus calls in progress; never above the profile's capacity
 * @param connected   whether a connection of theirs is open on some node; a disconnected member keeps
 *                    their status through the grace period but is not offered anything
 * @param idleSinceMs when the member last became free (status available with load 0); routing offers
 *                    to the longest idle first
 * @param lastActivityMs the last message or heartbeat seen from them
 */
public record StaffPresence(StaffProfile profile, StaffStatus status, int load, boolean connected,
                            long idleSinceMs, long lastActivityMs) {

    public Subject id() {
        return profile.id();
    }

    /** What others see: BUSY when available but full. */
    public StaffStatus effectiveStatus() {
        if (status == StaffStatus.AVAILABLE && load >= profile.capacity()) {
            return StaffStatus.BUSY;
        }
        return status;
    }

    /** Whether routing may offer this member a request of this topic and language now. */
    public boolean routable(String topic, String language) {
        return connected && status == StaffStatus.AVAILABLE && load < profile.capacity()
                && profile.serves(topic, language);
    }
}
