package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;

import java.util.Objects;

/**
 * What makes a routing request a transfer: the live call it hands over to whoever accepts it. Only the
 * server creates one (on {@code call.transfer}); nothing a client sends becomes a transfer.
 *
 * @param callId        the call being handed over
 * @param fromStaffName the staff member handing it over, shown on the offer
 * @param colleagueId   the one colleague it is offered to, or null for anyone in the target topic's queue
 */
public record Transfer(CallId callId, String fromStaffName, Subject colleagueId) {
    public Transfer {
        Objects.requireNonNull(callId, "callId");
    }

    public static Transfer toQueue(CallId callId, String fromStaffName) {
        return new Transfer(callId, fromStaffName, null);
    }

    public static Transfer toColleague(CallId callId, String fromStaffName, Subject colleagueId) {
        return new Transfer(callId, fromStaffName, Objects.requireNonNull(colleagueId, "colleagueId"));
    }

    /** Offered to one named colleague only: it waits in no queue and no one else's skills match it. */
    public boolean toNamedColleague() {
        return colleagueId != null;
    }
}
