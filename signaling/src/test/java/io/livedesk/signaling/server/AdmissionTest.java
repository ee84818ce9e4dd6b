package io.livedesk.signaling.server;

import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.routing.RequestId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admission by measured queueing delay, and the fairness of a connection's serial executor. */
class AdmissionTest {
    private static final Duration MAX_DELAY = Duration.ofMillis(100);
    private static final long LATER = Duration.ofSeconds(1).toNanos();

    private final WorkerPool pool = new WorkerPool("admission-test", 1, 1000);
    private final Admission admission = new Admission(MAX_DELAY, Duration.ofSeconds(2));
    private final CountDownLatch release = new CountDownLatch(1);

    private static final ClientMessage NEW_WORK = new ClientMessage.RequestCreate("r1", "loans", "en", 0, Map.of());
    private static final ClientMessage UNDER_WAY = new ClientMessage.RequestCancel("c1", RequestId.of("r-1"));

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void blockTheOnlyWorker() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            awaitRelease();
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
    }

    @Test
    void newWorkIsRefusedWhileTheOldestQueuedTaskWaitedTooLongAndAdmittedAgainOnceTheQueueDrains() throws Exception {
        SerialExecutor idle = new SerialExecutor(pool, 16);
        long now = System.nanoTime();
        assertTrue(admission.admits(NEW_WORK, pool, idle, now), "an empty queue admits");

        blockTheOnlyWorker();
        pool.execute(() -> { });
        long start = System.nanoTime();
        assertTrue(admission.admits(NEW_WORK, pool, idle, start), "queued, but not for long yet");
        assertFalse(admission.admits(NEW_WORK, pool, idle, start + LATER), "the oldest waited a second");
        assertFalse(admission.admitsCall(pool, start + LATER));
        assertTrue(admission.admits(UNDER_WAY, pool, idle, start + LATER), "work under way is still queued");

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.oldestWaitNanos(System.nanoTime()) == 0);
        assertTrue(admission.admits(NEW_WORK, pool, idle, System.nanoTime() + LATER), "recovered when the load stopped");
    }

    @Test
    void aConnectionWhoseOwnBacklogWaitsTooLongIsRefusedNewWorkWhileOthersAreNot() throws Exception {
        blockTheOnlyWorker();
        SerialExecutor busy = new SerialExecutor(pool, 16);
        SerialExecutor quiet = new SerialExecutor(pool, 16);
        busy.execute(() -> { });
        busy.execute(() -> { });
        long later = System.nanoTime() + LATER;
        assertTrue(busy.oldestWaitNanos(later) >= LATER);
        assertFalse(admission.admits(NEW_WORK, pool, busy, later));
        assertEquals(0, quiet.oldestWaitNanos(later));
    }

    @Test
    void aBusyConnectionTakesTurnsWithOthersInsteadOfHoldingAWorkerThroughItsBacklog() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        SerialExecutor busy = new SerialExecutor(pool, 256);
        SerialExecutor other = new SerialExecutor(pool, 256);
        CountDownLatch firstRunning = new CountDownLatch(1);
        busy.execute(() -> {
            firstRunning.countDown();
            awaitRelease();
            ran.add("busy-0");
        });
        assertTrue(firstRunning.await(5, TimeUnit.SECONDS));
        for (int i = 1; i < 100; i++) {
            String name = "busy-" + i;
            busy.execute(() -> ran.add(name));
        }
        other.execute(() -> ran.add("other"));
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 101);

        assertEquals(1, ran.indexOf("other"), "served right after the busy connection's running task: " + ran);
        List<String> busyOrder = ran.stream().filter(s -> s.startsWith("busy-")).toList();
        for (int i = 0; i < busyOrder.size(); i++) {
            assertEquals("busy-" + i, busyOrder.get(i), "one connection's tasks keep their order");
        }
    }
}
