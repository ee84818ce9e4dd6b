package io.livedesk.signaling.server;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool where messages and REST calls are handled, off Netty's event loop, because a
 * handler may wait on Redis. When {@code queueCapacity} tasks wait, {@link #execute} throws
 * {@link RejectedExecutionException} and the caller answers "overloaded"; {@link #resume} (work already
 * admitted, going on after a store step answered) is never refused, so the queue may go past the capacity by
 * at most the store steps in flight. It also says how long the oldest queued task has waited: what admission
 * control ({@link Admission}) decides by.
 */
public final class WorkerPool implements SerialExecutor.Pool, AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final int queueCapacity;

    public WorkerPool(String name, int threads, int queueCapacity) {
        this.queueCapacity = queueCapacity;
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), namedThreads(name), new ThreadPoolExecutor.AbortPolicy());
    }

    public static ThreadFactory namedThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A task and when it was queued. */
    private record Queued(Runnable task, long queuedAtNanos) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    @Override
    public void execute(Runnable task) {
        if (executor.getQueue().size() >= queueCapacity) {
            throw new RejectedExecutionException("the worker queue is full");
        }
        executor.execute(new Queued(task, System.nanoTime()));
    }

    @Override
    public void resume(Runnable task) {
        executor.execute(new Queued(task, System.nanoTime()));
    }

    /** How long the task at the head of the queue has waited for a thread, 0 when none waits. */
    public long oldestWaitNanos(long nowNanos) {
        return executor.getQueue().peek() instanceof Queued q ? Math.max(0, nowNanos - q.queuedAtNanos) : 0;
    }

    public int queued() {
        return executor.getQueue().size();
    }

    public int active() {
        return executor.getActiveCount();
    }

    /** Stops taking work and waits up to the timeout for what is running. */
    public boolean shutdown(long timeoutMs) throws InterruptedException {
        executor.shutdown();
        return executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
