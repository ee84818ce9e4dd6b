package io.livedesk.bench.sockets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /** Runs every task, at most {@code parallelism} at a time; the first failure is thrown once all have ended. */
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
            List<Future<?>> futures = new ArrayList<>();
            for (Task task : tasks) {
                futures.add(pool.submit(() -> {
                    task.run();
                    return null;
                }));
            }
            Exception first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
