package io.livedesk.signaling.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster on loopback: three masters and a replica of each, six {@code redis-server} processes
 * in cluster mode joined by {@code redis-cli --cluster create}. Tests connect with {@link #url()} (a
 * {@code redis-cluster://} URL naming every member) and may {@link #killMasterOf} a key to see its replica
 * promoted.
 *
 * <p>Starting six processes and forming the cluster takes a few seconds, so the store tests share one
 * cluster for the whole test run ({@link #shared()}: started by the first class that needs it, stopped when
 * JUnit closes its root context). A class that kills a master owns its cluster ({@code new
 * RedisClusterExtension()}), stopped after the class.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private static final Logger log = LoggerFactory.getLogger(RedisClusterExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisClusterExtension.class);
    private static final int MASTERS = 3;
    /** A master is failed over after this long without answers; short, so that a failover test is quick. */
    private static final int NODE_TIMEOUT_MS = 2000;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private final boolean shared;
    private Cluster cluster;

    private RedisClusterExtension(boolean shared) {
        this.shared = shared;
    }

    /** A cluster of the test class's own, stopped after it. */
    public RedisClusterExtension() {
        this(false);
    }

    /** The cluster shared by every class of the test run that registers this; never kill a master of it. */
    public static RedisClusterExtension shared() {
        return new RedisClusterExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (shared) {
            cluster = context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(Cluster.class, k -> Cluster.start(), Cluster.class);
        } else if (cluster == null) {
            cluster = Cluster.start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!shared && cluster != null) {
            cluster.close();
        }
        cluster = null;
    }

    /** e.g. {@code redis-cluster://127.0.0.1:41234,127.0.0.1:41235,...}. */
    public String url() {
        return "redis-cluster://" + running().nodes.stream().map(p -> "127.0.0.1:" + p.port())
                .collect(Collectors.joining(","));
    }

    /** Empties every master (their replicas follow), for a clean slate between tests. */
    public void flushAll() {
        for (RedisProcess master : running().masters()) {
            String reply = master.command("FLUSHALL");
            if (!reply.startsWith("+OK")) {
                throw new IllegalStateException("FLUSHALL on port " + master.port() + " failed: " + reply);
            }
        }
    }

    /** The port of the master that owns the key's slot now. */
    public int masterPortOf(String key) {
        return running().masterOf(key).port();
    }

    /**
     * Kills the master owning the key's slot as a crash would, and returns once its replica has taken the
     * slot over and the cluster says it is whole again.
     */
    public void killMasterOf(String key) throws InterruptedException {
        running().killMasterOf(key);
    }

    private Cluster running() {
        if (cluster == null) {
            throw new IllegalStateException("the Redis Cluster is not running: register the extension on a static field");
        }
        return cluster;
    }

    /** The six processes; closing stops them. */
    private static final class Cluster implements AutoCloseable {
        private final List<RedisProcess> nodes = new ArrayList<>();

        static Cluster start() {
            if (RedisProcess.executable() == null || RedisProcess.onPath("redis-cli") == null) {
                throw new IllegalStateException("redis-server and redis-cli must be on the PATH for the Redis Cluster tests");
            }
            long started = System.nanoTime();
            Cluster c = new Cluster();
            try {
                for (int i = 0; i < 2 * MASTERS; i++) {
                    // The cluster bus gets a probed port of its own: the default (port + 10000) may be taken or past 65535.
                    c.nodes.add(RedisProcess.start(RedisProcess.freePort(), List.of("save \"\"", "appendonly no",
                            "cluster-enabled yes", "cluster-config-file nodes.conf",
                            "cluster-node-timeout " + NODE_TIMEOUT_MS, "cluster-port " + RedisProcess.freePort())));
                }
                c.create();
                await("the Redis Cluster formed").atMost(FORM_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .until(() -> c.nodes.stream().allMatch(n -> n.command("CLUSTER INFO").contains("cluster_state:ok")
                                && n.command("CLUSTER INFO").contains("cluster_known_nodes:" + 2 * MASTERS))
                                && c.masters().size() == MASTERS
                                && c.nodes.stream().filter(n -> n.reply("ROLE").contains("slave"))
                                .allMatch(n -> n.reply("ROLE").contains("connected")));
            } catch (RuntimeException | IOException | InterruptedException e) {
                c.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("could not start a Redis Cluster", e);
            }
            log.info("Redis Cluster for tests on ports {} in {} ms", c.nodes.stream().map(n -> Integer.toString(n.port()))
                    .collect(Collectors.joining(",")), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return c;
        }

        private void create() throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(RedisProcess.onPath("redis-cli").toString(), "--cluster", "create"));
            nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
            command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Path out = Files.createTempFile("redis-cluster-create-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(FORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("redis-cli --cluster create did not finish: " + Files.readString(out));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("redis-cli --cluster create failed: " + Files.readString(out));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        }

        /** The processes alive that are masters now. */
        List<RedisProcess> masters() {
            return nodes.stream().filter(RedisProcess::alive).filter(n -> n.reply("ROLE").startsWith("*3\r\n$6\r\nmaster"))
                    .toList();
        }

        RedisProcess masterOf(String key) {
            RedisProcess any = nodes.stream().filter(RedisProcess::alive).findFirst().orElseThrow();
            int slot = Integer.parseInt(any.command("CLUSTER KEYSLOT " + key).substring(1));
            return ownerOf(slot, any).orElseThrow(() -> new IllegalStateException("no master owns slot " + slot));
        }

        /** The master owning the slot, as the node asked sees it (CLUSTER NODES: id addr flags master ... slots). */
        private Optional<RedisProcess> ownerOf(int slot, RedisProcess asked) {
            for (String line : asked.command("CLUSTER NODES").split("\n")) {
                String[] f = line.trim().split(" ");
                if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                    continue;
                }
                for (int i = 8; i < f.length; i++) {
                    String[] range = f[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue; // a slot being migrated
                    }
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                        return nodes.stream().filter(n -> n.port() == port).findFirst();
                    }
                }
            }
            return Optional.empty();
        }

        void killMasterOf(String key) throws InterruptedException {
            RedisProcess old = masterOf(key);
            int slot = Integer.parseInt(old.command("CLUSTER KEYSLOT " + key).substring(1));
            old.kill();
            log.info("killed the Redis Cluster master on port {} (slot {} of {})", old.port(), slot, key);
            await("a replica promoted for slot " + slot).atMost(FAILOVER_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> nodes.stream().filter(RedisProcess::alive).allMatch(n ->
                            n.command("CLUSTER INFO").contains("cluster_state:ok")
                                    && ownerOf(slot, n).filter(o -> o != old && o.alive()).isPresent()));
            log.info("the replica on port {} took slot {} over", masterOf(key).port(), slot);
        }

        @Override
        public void close() {
            nodes.forEach(RedisProcess::close);
            nodes.clear();
        }
    }
}
