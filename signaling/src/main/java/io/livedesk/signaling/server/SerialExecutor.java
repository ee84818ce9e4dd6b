package io.livedesk.signaling.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one connection's tasks one at a time, in order (an SDP before its candidates), on a shared pool.
 * At most {@code maxPending} tasks wait; past that {@link #execute} throws RejectedExecutionException.
 * Fair to other connections: after each task it goes to the back of the pool's queue rather than keep a
 * thread while it has more, so one busy connection takes turns with everyone else instead of holding a
 * worker through its whole backlog.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final int maxPending;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    /** When each waiting task arrived, in the same order. */
    private final Queue<Long> arrivedAtNanos = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool, int maxPending) {
        this.pool = pool;
        this.maxPending = maxPending;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            if (tasks.size() >= maxPending) {
                throw new RejectedExecutionException("too many pending tasks on this connection");
            }
            tasks.add(task);
            arrivedAtNanos.add(System.nanoTime());
            if (running) {
                return;
            }
            running = true;
        }
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (tasks) {
                tasks.remove(task);
                arrivedAtNanos.poll();
                running = !tasks.isEmpty();
            }
            throw e;
        }
    }

    /** How long this connection's oldest waiting task has waited, 0 when none waits. */
    public long oldestWaitNanos(long nowNanos) {
        synchronized (tasks) {
            Long first = arrivedAtNanos.peek();
            return first == null ? 0 : Math.max(0, nowNanos - first);
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                arrivedAtNanos.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("task failed", e);
            }
            synchronized (tasks) {
                if (tasks.isEmpty()) {
                    running = false;
                    return;
                }
            }
            try {
                pool.execute(this::drain); // our turn is over; still running, so order is kept
                return;
            } catch (RejectedExecutionException full) {
                // The pool's queue is full: keep going here rather than strand the tasks.
            }
        }
    }
}
