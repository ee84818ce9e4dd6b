package io.livedesk.signaling.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@link NodeRegistry} contract; subclasses only provide the registry. */
public abstract class NodeRegistryContract {

    static final long T0 = 1_700_000_000_000L;
    static final long TTL = 5_000;

    private NodeRegistry registry;

    /** A fresh, empty registry for each test. */
    protected abstract NodeRegistry createRegistry();

    protected void closeRegistry() {
    }

    @BeforeEach
    void setUp() {
        registry = createRegistry();
    }

    @AfterEach
    void tearDown() {
        closeRegistry();
    }

    @Test
    void everyHeartbeatAnswersTheSameEpochWhileTheStoreKeepsItsData() {
        String epoch = registry.heartbeat("node-a", T0);
        assertEquals(epoch, registry.heartbeat("node-b", T0 + 1));
        assertEquals(epoch, registry.heartbeat("node-a", T0 + 2));
        assertEquals(java.util.Optional.of(epoch), registry.epoch());
    }

    @Test
    void liveNodesHaveAHeartbeatNewerThanTheTtl() {
        registry.heartbeat("node-a", T0);
        registry.heartbeat("node-b", T0 + 1_000);

        assertEquals(List.of("node-a", "node-b"), registry.liveNodes(T0 + 10, TTL));
        assertEquals(List.of("node-b"), registry.liveNodes(T0 + TTL, TTL), "exactly ttl old is not live");
        assertEquals(List.of(), registry.liveNodes(T0 + 1_000 + TTL, TTL));
    }

    @Test
    void aHeartbeatRefreshes() {
        registry.heartbeat("node-a", T0);
        registry.heartbeat("node-a", T0 + 4_000);
        assertEquals(List.of("node-a"), registry.liveNodes(T0 + 8_000, TTL));
        assertEquals(List.of(), registry.claimDead(T0 + 8_000, TTL));
    }

    @Test
    void claimDeadRemovesAndReturnsNodesAtOrBeforeTheTtlOnce() {
        registry.heartbeat("node-a", T0);
        registry.heartbeat("node-b", T0 + 1);
        registry.heartbeat("node-c", T0 + 2);

        assertEquals(List.of("node-a", "node-b"), registry.claimDead(T0 + 1 + TTL, TTL));
        assertEquals(List.of(), registry.claimDead(T0 + 1 + TTL, TTL), "already claimed");
        assertEquals(List.of("node-c"), registry.liveNodes(T0 + 1 + TTL, TTL));
    }

    @Test
    void aClaimedNodeThatComesBackIsLiveAgain() {
        registry.heartbeat("node-a", T0);
        registry.claimDead(T0 + TTL, TTL);
        registry.heartbeat("node-a", T0 + TTL + 1);
        assertEquals(List.of("node-a"), registry.liveNodes(T0 + TTL + 2, TTL));
    }

    @Test
    void deregisteredNodesAreNeitherLiveNorDead() {
        registry.heartbeat("node-a", T0);
        registry.heartbeat("node-b", T0);
        registry.deregister("node-a");
        registry.deregister("node-unknown");

        assertEquals(List.of("node-b"), registry.liveNodes(T0, TTL));
        assertEquals(List.of("node-b"), registry.claimDead(T0 + TTL, TTL));
    }

    @Test
    void concurrentClaimsGetEachDeadNodeExactlyOnce() throws Exception {
        int nodes = 100;
        for (int i = 0; i < nodes; i++) {
            registry.heartbeat("node-" + i, T0 + i);
        }
        registry.heartbeat("node-live", T0 + 10 * TTL);
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    // Claims as the clock moves on, so the callers race over the same nodes.
                    for (int i = 0; i < nodes; i += 5) {
                        claimed.addAll(registry.claimDead(T0 + i + TTL, TTL));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        claimed.addAll(registry.claimDead(T0 + nodes + TTL, TTL));
        assertEquals(nodes, claimed.size());
        assertEquals(nodes, new HashSet<>(claimed).size());
        assertEquals(List.of("node-live"), registry.liveNodes(T0 + 10 * TTL, TTL));
    }
}
