package io.livedesk.signaling.cluster;

import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node notices the store losing its data by a new epoch, and puts back its own state once per loss. */
class NodeMonitorEpochTest {

    /** A registry whose store can "lose its data": the epoch goes, the next heartbeat makes a new one. */
    private static final class LosableRegistry implements NodeRegistry {
        private String epoch;
        private int made;

        void lose() {
            epoch = null;
        }

        @Override
        public String heartbeat(String nodeId, long nowMs) {
            if (epoch == null) {
                epoch = "e" + (++made);
            }
            return epoch;
        }

        @Override
        public Optional<String> epoch() {
            return Optional.ofNullable(epoch);
        }

        @Override
        public List<String> liveNodes(long nowMs, long ttlMs) {
            return List.of();
        }

        @Override
        public List<String> claimDead(long nowMs, long ttlMs) {
            return List.of();
        }

        @Override
        public void deregister(String nodeId) {
        }
    }

    private final LosableRegistry registry = new LosableRegistry();
    private final AtomicInteger putBacks = new AtomicInteger();
    private boolean putBackFails;
    private final NodeMonitor monitor = new NodeMonitor("node-a", registry, new InMemorySessionStore(),
            new InMemoryPresenceStore(), Duration.ofSeconds(5), new MutableClock(Instant.ofEpochMilli(1_000)), () -> {
                putBacks.incrementAndGet();
                if (putBackFails) {
                    throw new IllegalStateException("Redis went away again");
                }
            });

    @Test
    void theFirstEpochIsAdoptedAndOnlyANewOnePutsBack() {
        monitor.beat();
        monitor.beat();
        assertEquals(0, putBacks.get());
        assertTrue(monitor.storeUnchanged());

        registry.lose();
        assertFalse(monitor.storeUnchanged(), "no epoch: whatever was looked up may have been lost");
        monitor.beat();
        assertEquals(1, putBacks.get());
        assertTrue(monitor.storeUnchanged());
        monitor.beat();
        assertEquals(1, putBacks.get(), "once per loss");
    }

    @Test
    void aPutBackThatFailedIsTriedAgainOnTheNextHeartbeat() {
        monitor.beat();
        registry.lose();
        putBackFails = true;
        assertThrows(IllegalStateException.class, monitor::beat);
        assertFalse(monitor.storeUnchanged(), "another node made the new epoch; this one is not registered in it");
        putBackFails = false;
        monitor.beat();
        assertEquals(2, putBacks.get());
        assertTrue(monitor.storeUnchanged());
    }
}
