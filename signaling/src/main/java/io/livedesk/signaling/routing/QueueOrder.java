package io.livedesk.signaling.routing;

/**
 * The order of a queue, as one number per request: its enqueue time brought forward by
 * {@code escalationStepMs} per priority level. A priority-2 request enqueued now ranks with normal
 * requests that have waited two steps already, so priority goes first and long waits still escalate.
 */
public record QueueOrder(long escalationStepMs) {
    public double rank(long enqueuedAtMs, int priority) {
        return (double) enqueuedAtMs - (double) priority * escalationStepMs;
    }
}
