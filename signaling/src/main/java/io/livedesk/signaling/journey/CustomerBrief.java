package io.livedesk.signaling.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.CallsApi;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastOrigin;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a staff member sees about a customer before accepting and during the call: what this request brought
 * along (the page's context, the livestream it came from, the note of a colleague who transferred it) and,
 * when the customer's token identifies them, their earlier calls with how each ended.
 *
 * @param identified whether the customer is a known customer; anonymous visitors have no {@code previous}
 * @param previous   earlier calls, newest first, at most {@link #MAX_PREVIOUS}
 * @param watched    livestream broadcasts they watched, newest first (identified customers only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CustomerBrief(CallId callId, CallsApi.Party customer, boolean identified, String topic,
                            String language, Map<String, String> context, BroadcastOrigin origin,
                            CallRecord.Handover handover, long waitMs, List<PastCall> previous,
                            List<WatchedBroadcast> watched) {

    public static final int MAX_PREVIOUS = 10;

    /**
     * How an earlier request went, in a word: {@code answered}, {@code abandoned} (the customer gave up
     * waiting), {@code unanswered} (it ended unanswered otherwise), {@code live} or {@code waiting}.
     */
    public enum Outcome {
        ANSWERED, ABANDONED, UNANSWERED, LIVE, WAITING;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Outcome of(CallRecord r) {
            if (r.state() != CallState.ENDED) {
                return r.state().live() ? LIVE : WAITING;
            }
            if (r.answeredAtMs() > 0) {
                return ANSWERED;
            }
            return r.endReason() == EndReason.CUSTOMER_CANCELLED || r.endReason() == EndReason.CUSTOMER_DISCONNECTED
                    ? ABANDONED : UNANSWERED;
        }
    }

    /**
     * An earlier call: the record as REST shows it, its outcome, and the livestream it was asked from (a
     * "consult now"; null otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PastCall(CallsApi.CallView call, Outcome outcome, BroadcastOrigin origin) {
    }

    /** A broadcast they watched: its title when still known (null once the broadcast is gone). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WatchedBroadcast(BroadcastId broadcastId, String title, long at) {
    }

    /**
     * The brief of {@code call} from the customer's history (which may include the call itself and calls
     * newer than it: they are left out) and the broadcasts they watched.
     */
    public static CustomerBrief of(CallRecord call, List<CallRecord> history, List<WatchedBroadcast> watched,
                                   long nowMs) {
        List<PastCall> previous = !call.asked().identified() ? List.of() : history.stream()
                .filter(r -> !r.callId().equals(call.callId()) && r.customerId().equals(call.customerId())
                        && r.enqueuedAtMs() <= call.enqueuedAtMs())
                .limit(MAX_PREVIOUS)
                .map(r -> new PastCall(CallsApi.view(r, nowMs), Outcome.of(r), r.asked().origin()))
                .toList();
        return new CustomerBrief(call.callId(), new CallsApi.Party(call.customerId(), call.customerName()),
                call.asked().identified(), call.topic(), call.language(), call.asked().context(), call.asked().origin(),
                call.handover(), call.waitMs(nowMs), previous,
                call.asked().identified() ? List.copyOf(watched) : List.of());
    }
}
