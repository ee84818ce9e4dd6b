package io.livedesk.signaling.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerialExecutorTest {
    private final WorkerPool pool = new WorkerPool("serial-test", 1, 100);

    @AfterEach
    void stop() {
        pool.close();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(5, TimeUnit.SECONDS), "timed out");
    }

    @Test
    void anAsynchronousTaskHoldsItsConnectionsNextTaskButNotTheThread() throws Exception {
        SerialExecutor a = new SerialExecutor(pool, 16);
        SerialExecutor b = new SerialExecutor(pool, 16);
        CompletableFuture<Void> storeStep = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch otherRan = new CountDownLatch(1);
        CountDownLatch nextRan = new CountDownLatch(1);

        a.executeAsync(() -> {
            started.countDown();
            return storeStep;
        });
        a.execute(() -> {
            ran.add("a2");
            nextRan.countDown();
        });
        await(started);
        b.execute(otherRan::countDown);

        await(otherRan); // the pool's only thread was free while a's step was under way
        assertEquals(List.of(), ran, "a's next task waits for its step");
        storeStep.complete(null);
        await(nextRan);
        assertEquals(List.of("a2"), ran);
    }

    @Test
    void aFailedOrThrowingTaskStillLetsTheNextOneRunInOrder() throws Exception {
        SerialExecutor a = new SerialExecutor(pool, 16);
        CompletableFuture<Void> failing = new CompletableFuture<>();
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);

        a.executeAsync(() -> {
            ran.add(1);
            return failing;
        });
        a.execute(() -> {
            ran.add(2);
            throw new IllegalStateException("a task that throws");
        });
        a.executeAsync(() -> {
            ran.add(3);
            return CompletableFuture.completedFuture(null);
        });
        a.execute(() -> {
            ran.add(4);
            done.countDown();
        });
        failing.completeExceptionally(new IllegalStateException("the store failed"));

        await(done);
        assertEquals(List.of(1, 2, 3, 4), ran);
    }

    @Test
    void waitingBehindAStepCountsAsWaiting() throws Exception {
        SerialExecutor a = new SerialExecutor(pool, 16);
        CompletableFuture<Void> storeStep = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        a.executeAsync(() -> {
            started.countDown();
            return storeStep;
        });
        await(started);
        assertEquals(0, a.oldestWaitNanos(System.nanoTime()), "nothing waits yet");

        a.execute(() -> { });
        long now = System.nanoTime() + 1_000_000;
        assertTrue(a.oldestWaitNanos(now) >= 1_000_000, "the next message waits behind the step: admission sees it");
        storeStep.complete(null);
    }
}
