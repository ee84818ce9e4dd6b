package io.livedesk.signaling.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real Sentinel deployment on loopback for one test class: a master, one replica and one Sentinel
 * (quorum 1, a master is down after 1 s without answers), all {@code redis-server} processes. Tests
 * connect with {@link #url()} (a Lettuce {@code redis-sentinel://} URL) and may {@link #killMaster()} to see
 * the replica promoted.
 */
public final class RedisSentinelExtension implements BeforeAllCallback, AfterAllCallback {
    public static final String MASTER_NAME = "livedesk";
    private static final Logger log = LoggerFactory.getLogger(RedisSentinelExtension.class);

    private RedisProcess master;
    private RedisProcess replica;
    private RedisProcess sentinel;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        master = RedisProcess.start(RedisProcess.freePort(), List.of("save \"\"", "appendonly no"));
        replica = RedisProcess.start(RedisProcess.freePort(), List.of("save \"\"", "appendonly no"),
                "--replicaof", "127.0.0.1", Integer.toString(master.port()));
        sentinel = RedisProcess.start(RedisProcess.freePort(), List.of(
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 5000"), "--sentinel");
        await("the replica in sync").atMost(Duration.ofSeconds(10))
                .until(() -> replica.reply("ROLE").contains("slave") && master.command("WAIT 1 100").equals(":1"));
        log.info("Sentinel for tests on port {}: master {} replica {}", sentinel.port(), master.port(), replica.port());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (RedisProcess p : new RedisProcess[] {sentinel, replica, master}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** e.g. {@code redis-sentinel://127.0.0.1:26379#livedesk}. */
    public String url() {
        return "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER_NAME;
    }

    /** Empties the current master (before a test), and waits until the replica has it too. */
    public void flushAll() {
        RedisProcess m = currentMaster();
        m.command("FLUSHALL");
        m.command("WAIT 1 1000");
    }

    /** Waits until every write so far reached the replica (so a failover loses none of them). */
    public void awaitReplicated() {
        await().atMost(Duration.ofSeconds(10)).until(() -> currentMaster().command("WAIT 1 200").equals(":1"));
    }

    /** Kills the master as a crash would; returns once the Sentinel has promoted the replica. */
    public void killMaster() throws InterruptedException {
        int old = currentMaster().port();
        currentMaster().kill();
        await("the replica promoted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> masterPort() != old && replica.reply("ROLE").contains("master"));
    }

    private RedisProcess currentMaster() {
        return masterPort() == replica.port() ? replica : master;
    }

    private int masterPort() {
        // "SENTINEL get-master-addr-by-name" answers a two-line array; the port is the second bulk string.
        String reply = sentinelRaw("SENTINEL get-master-addr-by-name " + MASTER_NAME);
        String[] lines = reply.split("\r\n");
        return Integer.parseInt(lines[lines.length - 1].trim());
    }

    private String sentinelRaw(String inline) {
        return RedisProcess.readReply(sentinel.port(), inline);
    }
}
