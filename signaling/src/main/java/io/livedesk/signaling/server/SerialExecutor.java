package io.livedesk.signaling.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs one connection's tasks one at a time, in order (an SDP before its candidates), on a shared pool.
 * At most {@code maxPending} tasks wait; past that {@link #execute} throws RejectedExecutionException.
 * Fair to other connections: after each task it goes to the back of the pool's queue rather than keep a
 * thread while it has more, so one busy connection takes turns with everyone else instead of holding a
 * worker through its whole backlog.
 *
 * <p>A task may be asynchronous ({@link #executeAsync}): it starts a store step and answers a stage. The
 * connection's next task waits for that stage, but no thread does: the worker goes back to the pool, and the
 * connection takes its next turn when the stage completes.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    /** Where the tasks run. */
    @FunctionalInterface
    public interface Pool extends Executor {
        /**
         * Continues work already admitted (a connection's next turn once a stage completed): unlike
         * {@link #execute}, never refused for being full, or an answered store step would be dropped.
         */
        default void resume(Runnable task) {
            execute(task);
        }
    }

    private final Pool pool;
    private final int maxPending;
    private final Queue<Supplier<? extends CompletionStage<?>>> tasks = new ArrayDeque<>();
    /** When each waiting task arrived, in the same order. */
    private final Queue<Long> arrivedAtNanos = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Pool pool, int maxPending) {
        this.pool = pool;
        this.maxPending = maxPending;
    }

    @Override
    public void execute(Runnable task) {
        executeAsync(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Queues a task that answers a stage (or null when it is done already): the connection's next task runs
     * once the stage completes, however it completes.
     */
    public void executeAsync(Supplier<? extends CompletionStage<?>> task) {
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
        Supplier<? extends CompletionStage<?>> next;
        synchronized (tasks) {
            next = tasks.poll();
            arrivedAtNanos.poll();
            if (next == null) {
                running = false;
                return;
            }
        }
        CompletionStage<?> pending = null;
        try {
            pending = next.get();
        } catch (RuntimeException e) {
            log.error("task failed", e);
        }
        if (pending != null && !pending.toCompletableFuture().isDone()) {
            // Still running, so the order is kept; the thread is free until the stage completes.
            pending.whenComplete((value, failure) -> nextTurn());
            return;
        }
        nextTurn();
    }

    /** Our turn is over: back of the pool's queue if more waits (still running, so order is kept), else idle. */
    private void nextTurn() {
        synchronized (tasks) {
            if (tasks.isEmpty()) {
                running = false;
                return;
            }
        }
        pool.resume(this::drain);
    }
}
