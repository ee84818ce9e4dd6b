package io.livedesk.signaling.call;

/**
 * Everything kept about one call, from the request to its end. The call id is the request id.
 * Times are epoch milliseconds, 0 when not reached.
 */
public record CallRecord(String callId, String customerId, String customerName, String topic, String language,
                         int priority, String staffId, String staffName, CallState state,
                         long enqueuedAtMs, long offeredAtMs, long answeredAtMs, long connectedAtMs,
                         long endedAtMs, EndReason endReason) {

    public static CallRecord queued(String callId, String customerId, String customerName, String topic,
                                    String language, int priority, long enqueuedAtMs) {
        return new CallRecord(callId, customerId, customerName, topic, language, priority, null, null,
                CallState.QUEUED, enqueuedAtMs, 0, 0, 0, 0, null);
    }

    /** Waiting time: from the request until a staff member answered, or until it ended unanswered. */
    public long waitMs() {
        if (answeredAtMs > 0) {
            return answeredAtMs - enqueuedAtMs;
        }
        return endedAtMs > 0 ? endedAtMs - enqueuedAtMs : 0;
    }

    /** Talk time: from answer to end (or to now for a call still running, given now). */
    public long talkMs(long nowMs) {
        if (answeredAtMs == 0) {
            return 0;
        }
        return (endedAtMs > 0 ? endedAtMs : nowMs) - answeredAtMs;
    }

    public boolean isParty(String subject) {
        return subject.equals(customerId) || subject.equals(staffId);
    }

    public String peerOf(String subject) {
        return subject.equals(customerId) ? staffId : customerId;
    }

    private CallRecord to(CallState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException("call cannot go from " + state + " to " + target);
        }
        return this;
    }

    public CallRecord offered(String staffId, String staffName, long nowMs) {
        to(CallState.OFFERED);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, staffId, staffName,
                CallState.OFFERED, enqueuedAtMs, nowMs, 0, 0, 0, null);
    }

    public CallRecord requeued() {
        to(CallState.QUEUED);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, null, null,
                CallState.QUEUED, enqueuedAtMs, offeredAtMs, 0, 0, 0, null);
    }

    public CallRecord answered(long nowMs) {
        to(CallState.CONNECTING);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, staffId, staffName,
                CallState.CONNECTING, enqueuedAtMs, offeredAtMs, nowMs, 0, 0, null);
    }

    public CallRecord connected(long nowMs) {
        to(CallState.ACTIVE);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, staffId, staffName,
                CallState.ACTIVE, enqueuedAtMs, offeredAtMs, answeredAtMs, nowMs, 0, null);
    }

    public CallRecord ended(EndReason reason, long nowMs) {
        to(CallState.ENDED);
        return new CallRecord(callId, customerId, customerName, topic, language, priority, staffId, staffName,
                CallState.ENDED, enqueuedAtMs, offeredAtMs, answeredAtMs, connectedAtMs, nowMs, reason);
    }
}
