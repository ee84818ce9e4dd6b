package io.livedesk.signaling.server;

import io.livedesk.signaling.protocol.ClientMessage;

import java.time.Duration;

/**
 * Admission control by measured latency: new work is refused at once ({@code overloaded}, with a retry-after)
 * while the oldest task waiting for a worker, or this connection's own oldest waiting message, has waited
 * longer than {@code maxQueueDelay}. Refusing early keeps the answer quick and the queue short; work under way
 * (anything that is not {@link ClientMessage.NewWork}) is still queued, up to the pool's hard limit.
 */
public final class Admission {
    private final long maxQueueDelayNanos;
    private final Duration retryAfter;

    public Admission(Duration maxQueueDelay, Duration retryAfter) {
        this.maxQueueDelayNanos = maxQueueDelay.toNanos();
        this.retryAfter = retryAfter;
    }

    /** Whether a message may be queued now on this connection. */
    public boolean admits(ClientMessage m, WorkerPool pool, SerialExecutor connection, long nowNanos) {
        return !(m instanceof ClientMessage.NewWork)
                || Math.max(pool.oldestWaitNanos(nowNanos), connection.oldestWaitNanos(nowNanos)) <= maxQueueDelayNanos;
    }

    /** Whether a REST call (always new work) may be queued now. */
    public boolean admitsCall(WorkerPool pool, long nowNanos) {
        return pool.oldestWaitNanos(nowNanos) <= maxQueueDelayNanos;
    }

    /** What a refused caller is told to wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
