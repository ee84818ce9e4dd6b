package io.livedesk.signaling.cluster;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The two-node tests on a real 3-master Redis Cluster, and a master failover while the nodes route: the
 * master owning the shared slot ({@code {ld}}: every queue, request, offer and member) is killed with
 * requests waiting, ringing and in calls; its replica takes over and no request is lost, offered twice or
 * put above a member's capacity.
 */
class ClusterTwoNodeIT extends TwoNodeContract {

    /** Its own cluster, not the shared one: a test here kills a master. */
    @RegisterExtension
    static final RedisClusterExtension cluster = new RedisClusterExtension();

    /**
     * Served within this of the kill (runs took 10–30 s): under the WebSocket idle timeout (60 s), so that a
     * failure's dump shows the routing state before idle sockets are closed and their sessions cleaned up.
     */
    private static final Duration SERVE_WITHIN = Duration.ofSeconds(50);

    /** The key-prefix tag the nodes use (the default {@code redis.key-prefix}). */
    private static final String SHARED_SLOT = "{ld}";

    @Override
    protected String redisUrl() {
        return cluster.url();
    }

    @Override
    protected void flushRedis() {
        cluster.flushAll();
    }

    @Override
    protected Map<String, Object> moreSettings() {
        // A failover takes a few seconds (2 s node timeout, then the election); nodes unable to write their
        // heartbeat that long must not take each other for dead, or they would end each other's sessions.
        return Map.of("livedesk.cluster.node-ttl", "30s");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aMasterFailoverWhileRoutingLosesNoRequestOffersNoneTwiceAndKeepsCapacity() throws Exception {
        int before = cluster.masterPortOf(SHARED_SLOT);
        RedisKeys keys = new RedisKeys();
        // The all-nodes channel hashes to the same master, so the failover moves a sharded subscription too.
        assertEquals(before, cluster.masterPortOf(keys.allNodesChannel()));
        try (RedisConnections one = new RedisConnections(cluster.url(), Duration.ofSeconds(1));
             RedisConnections two = new RedisConnections(cluster.url(), Duration.ofSeconds(1));
             RedisClusterBus busOne = new RedisClusterBus(one, keys);
             RedisClusterBus busTwo = new RedisClusterBus(two, keys)) {
            ClusterBusContract.Inbox inbox = new ClusterBusContract.Inbox();
            busOne.subscribe("probe-1", inbox);
            busTwo.subscribe("probe-2", new ClusterBusContract.Inbox());

            try {
                serveManyCustomers(12, 120, tracker -> {
                    // Killed once calls are under way, with most requests still waiting.
                    await().atMost(Duration.ofSeconds(30)).until(() -> tracker.accepted().size() >= 10);
                    cluster.killMasterOf(SHARED_SLOT);
                }, SERVE_WITHIN, true);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nrouting state in Redis: " + routingState(keys), e);
            }

            assertNotEquals(before, cluster.masterPortOf(SHARED_SLOT), "the replica took the slot over");
            await("the all-nodes channel heard again after the failover").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        busTwo.publishToAll("everyone", "{\"after\":\"failover\"}");
                        return inbox.snapshot().contains("everyone|{\"after\":\"failover\"}");
                    });
        }
    }

    /**
     * Every request and staff member as the master owning their slot has them now, for a failure's message;
     * asked directly, since a cluster client may still list the killed master. Never throws.
     */
    private static String routingState(RedisKeys keys) {
        try (RedisConnections master = new RedisConnections("redis://127.0.0.1:" + cluster.masterPortOf(SHARED_SLOT),
                Duration.ofSeconds(5))) {
            Map<String, Map<String, String>> out = new TreeMap<>();
            for (String pattern : List.of(keys.tag() + "req:*", keys.tag() + "staff:*")) {
                master.sync().keys(pattern).forEach(k -> out.put(k, master.sync().hgetall(k)));
            }
            return out.toString();
        } catch (RuntimeException e) {
            return "(could not be read: " + e + ")";
        }
    }
}
