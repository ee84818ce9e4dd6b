package io.livedesk.signaling.wallboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;

import java.util.List;
import java.util.Locale;

/**
 * What a supervisor's wallboard shows, as one snapshot read from the stores (so the same on every node). Times
 * are epoch milliseconds, so a page counts waits and call durations on by itself between snapshots, and a
 * snapshot only changes when something happened.
 *
 * @param day                 the bank's day the counters are of (yyyy-mm-dd)
 * @param serviceLevelTargetMs a request answered within it counts toward the service level
 */
public record WallboardView(String day, long serviceLevelTargetMs, List<QueueRow> queues, List<StaffRow> staff,
                            List<CallRow> calls) {

    /**
     * One queue (topic and language): now, and today.
     *
     * @param waiting          customers waiting in it now
     * @param ringing          their requests ringing at a staff member now (still waiting, from their side)
     * @param oldestWaitingSince when the longest-waiting of them asked (epoch ms), null when none waits
     * @param answered         requests answered today
     * @param answeredInTarget of those, answered within the target
     * @param abandoned        requests whose customer gave up waiting today
     * @param serviceLevel     answeredInTarget / (answered + abandoned), null before either happened today
     * @param averageWaitMs    the average wait of today's answered requests, null before any
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueRow(String topic, String language, int waiting, int ringing, Long oldestWaitingSince,
                           long answered, long answeredInTarget, long abandoned, Double serviceLevel,
                           Long averageWaitMs) {
    }

    /** What a staff member is doing now. */
    public enum StaffState {
        AVAILABLE, RINGING, IN_CALL, AWAY, OFFLINE;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One staff member (supervisors are not listed): now, and today.
     *
     * @param inCallSince when they took their current call (epoch ms), null when in none
     * @param calls       calls they took today (answered, or took over in a transfer)
     * @param talkMs      their share of the talk time of today's calls that ended or that they handed over
     * @param declines    offers they declined today
     * @param missed      offers that rang out at them today
     * @param transfers   calls they transferred to a colleague today
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StaffRow(Subject id, String name, StaffState state, Long inCallSince, long calls, long talkMs,
                           long declines, long missed, long transfers) {
    }

    /**
     * A call being talked in now.
     *
     * @param answeredAt  when it was answered (its talk time runs from here)
     * @param transfers   how many times it was handed to another staff member
     * @param supervisors supervisors in it now
     */
    public record CallRow(CallId callId, String customer, String topic, String language, Subject staffId,
                          String staff, long answeredAt, int transfers, int supervisors) {
    }
}
