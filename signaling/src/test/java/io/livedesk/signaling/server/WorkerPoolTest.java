package io.livedesk.signaling.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {

    @Test
    void newWorkIsRefusedPastTheQueueCapacityButWorkResumingAfterAStoreStepIsNot() throws Exception {
        try (WorkerPool pool = new WorkerPool("pool-test", 1, 2)) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            pool.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(5, TimeUnit.SECONDS));
            CountDownLatch ran = new CountDownLatch(4);
            pool.execute(ran::countDown);
            pool.execute(ran::countDown);

            assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::countDown));
            pool.resume(ran::countDown);
            pool.resume(ran::countDown);
            assertEquals(4, pool.queued());

            release.countDown();
            assertTrue(ran.await(5, TimeUnit.SECONDS), "every admitted and resumed task ran");
        }
    }
}
