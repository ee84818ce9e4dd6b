package io.livedesk.signaling.cluster;

import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RedisNodeRegistryTest extends NodeRegistryContract {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private RedisConnections connections;

    @Override
    protected NodeRegistry createRegistry() {
        redis.flushAll();
        connections = new RedisConnections(redis.url(), Duration.ofSeconds(5));
        return new RedisNodeRegistry(connections, new RedisKeys("test"));
    }

    @Override
    protected void closeRegistry() {
        connections.close();
    }

    @Test
    void aStoreThatLostItsDataHasNoEpochUntilTheNextHeartbeatMakesANewOne() {
        NodeRegistry registry = createRegistry();
        try {
            String before = registry.heartbeat("node-a", 1_000);
            redis.flushAll();
            assertEquals(Optional.empty(), registry.epoch());
            String after = registry.heartbeat("node-b", 2_000);
            assertNotEquals(before, after);
            assertEquals(after, registry.heartbeat("node-a", 3_000), "the first heartbeat's epoch holds for all");
            assertEquals(List.of("node-a", "node-b"), registry.liveNodes(3_000, 5_000).stream().sorted().toList());
        } finally {
            closeRegistry();
        }
    }
}
