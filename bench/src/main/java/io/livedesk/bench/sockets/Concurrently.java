package io.livedesk.bench.sockets;

import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs setup tasks (endpoint connections) a few at a time: a thousand ICE and DTLS handshakes one after the
 * other take minutes, all at once they time out on two cores.
 */
final class Concurrently {
    /** A task that may fail with any exception. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Runs the tasks, at most {@code parallelism} at a time. The first failure stops the rest (running ones are
     * interrupted, waiting ones never start) and is thrown: a thousand endpoints that each time out would
     * otherwise take an hour to report one problem.
     */
    static void run(int parallelism, List<Task> tasks) throws Exception {
        if (tasks.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, tasks.size())), r -> {
            Thread t = new Thread(r, "bench-connect");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (Task task : tasks) {
                done.submit(() -> {
                    task.run();
                    return null;
                });
            }
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
