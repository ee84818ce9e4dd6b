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
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final int maxPending;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
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
                running = !tasks.isEmpty();
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
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
        }
    }
}
