package io.livedesk.media.bwe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimator driven by synthetic feedback: a sender paces packets into a path of a given capacity (a queue drains
 * at that rate), and every 100 ms the "receiver" reports what arrived when.
 */
class SendSideEstimatorTest {
    private static final int BYTES = 1200;
    private static final long MS = 1_000_000L;

    /** A paced sender over a bottleneck queue, reporting feedback every 100 ms. */
    private static final class Path {
        final SendSideEstimator estimator;
        final long capacityBps;
        long now;
        long queueFreeAt;
        long counter;

        Path(SendSideEstimator estimator, long capacityBps) {
            this.estimator = estimator;
            this.capacityBps = capacityBps;
        }

        /** Sends at {@code sendBps} for {@code durationMs}, every {@code lossEvery}-th packet lost (0: none). */
        void run(long sendBps, long durationMs, int lossEvery) {
            long interval = BYTES * 8L * 1_000_000_000L / sendBps;
            long end = now + durationMs * MS;
            long nextFeedback = now + 100 * MS;
            while (now < end) {
                counter++;
                if (lossEvery > 0 && counter % lossEvery == 0) {
                    estimator.lost(now, BYTES);
                } else {
                    long start = Math.max(now, queueFreeAt);
                    queueFreeAt = start + BYTES * 8L * 1_000_000_000L / capacityBps;
                    estimator.received(now, queueFreeAt + 20 * MS, BYTES);
                }
                now += interval;
                if (now >= nextFeedback) {
                    estimator.feedbackDone(now);
                    nextFeedback += 100 * MS;
                }
            }
        }
    }

    @Test
    void steadyDeliveryLetsTheEstimateGrow() {
        SendSideEstimator estimator = new SendSideEstimator(300_000, 50_000, 10_000_000);
        Path path = new Path(estimator, 10_000_000);
        path.run(400_000, 5_000, 0);

        assertEquals(BandwidthUsage.NORMAL, estimator.usage());
        assertEquals(RateState.INCREASE, estimator.state());
        // About 8 % a second over 5 s: 300k x 1.08^5 = 440k, capped by 1.5 x 400k acknowledged.
        assertTrue(estimator.estimateBps() > 400_000 && estimator.estimateBps() <= 1.5 * 400_000 + 10_000,
                "estimate " + estimator.estimateBps());
        assertEquals(0, estimator.overuses());
    }

    @Test
    void aGrowingQueueIsOveruseAndCutsTheEstimateBelowWhatWasAcknowledged() {
        SendSideEstimator estimator = new SendSideEstimator(2_000_000, 50_000, 10_000_000);
        Path path = new Path(estimator, 1_000_000);
        path.run(500_000, 3_000, 0); // under capacity: no queue
        assertEquals(0, estimator.overuses());

        path.run(1_500_000, 2_000, 0); // half again above capacity: the queue grows 500 ms a second

        assertTrue(estimator.overuses() > 0, "overuse detected");
        assertTrue(estimator.estimateBps() <= 0.85 * 1_000_000 * 1.05,
                "cut to about 0.85 x the acknowledged 1 Mbps: " + estimator.estimateBps());
    }

    @Test
    void heavyLossCutsTheEstimateAndLightLossDoesNot() {
        SendSideEstimator lossy = new SendSideEstimator(1_000_000, 50_000, 10_000_000);
        new Path(lossy, 10_000_000).run(800_000, 3_000, 4); // 25 % lost
        assertTrue(lossy.estimateBps() < 700_000, "estimate " + lossy.estimateBps());
        assertEquals(0.25, lossy.lossFraction(), 0.02);

        SendSideEstimator clean = new SendSideEstimator(1_000_000, 50_000, 10_000_000);
        new Path(clean, 10_000_000).run(800_000, 3_000, 100); // 1 % lost
        assertTrue(clean.estimateBps() >= 1_000_000, "estimate " + clean.estimateBps());
    }

    @Test
    void theEstimateStaysWithinItsBounds() {
        SendSideEstimator estimator = new SendSideEstimator(100_000, 80_000, 120_000);
        Path path = new Path(estimator, 50_000);
        path.run(200_000, 3_000, 2);
        assertTrue(estimator.estimateBps() >= 80_000 && estimator.estimateBps() <= 120_000);
    }
}
