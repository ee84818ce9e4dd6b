package io.livedesk.speech.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stream's tasks one at a time, in order, on a shared pool: connect, sends, event
 * delivery and close never overlap, so the stream needs no lock around its session.
 */
final class StreamTaskExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(StreamTaskExecutor.class);

    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    StreamTaskExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The service is shutting down: run what is left here, it only closes and reports.
                drain();
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("speech client task failed: {}", e.toString());
                }
            }
        } finally {
            running.set(false);
            schedule();
        }
    }
}
