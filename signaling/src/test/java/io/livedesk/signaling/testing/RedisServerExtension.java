package io.livedesk.signaling.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Starts one real Redis per test class on a free loopback port and stops it after the class. It prefers
 * {@code redis-server} on the PATH (the production-like build) and falls back to the binary bundled in
 * embedded-redis. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension();
 * ... new RedisConnections(redis.url(), ...) ... redis.flushAll();
 * }</pre>
 *
 * or with {@code @ExtendWith(RedisServerExtension.class)} and a {@link RedisUrl} parameter in a test,
 * constructor or lifecycle method.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    /** The URL of the running server, for parameter injection. */
    public record RedisUrl(String value) {
        @Override
        public String toString() {
            return value;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RedisServerExtension.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private Server server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (server == null) {
            server = startOnFreePort();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** e.g. {@code redis://127.0.0.1:41234}; only while the test class runs. */
    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("Redis is not running: register the extension on a static field");
        }
        return server.port();
    }

    /** Empties every database, for a clean slate between tests. */
    public void flushAll() {
        String reply = command(port(), "FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("FLUSHALL failed: " + reply);
        }
    }

    /** Holds every client's commands for the given time (CLIENT PAUSE ... ALL): a Redis that answers slowly. */
    public void pauseClients(Duration time) {
        String reply = command(port(), "CLIENT PAUSE " + time.toMillis() + " ALL");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("CLIENT PAUSE failed: " + reply);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisUrl.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (server == null) {
            throw new ParameterResolutionException("Redis is not running yet (a RedisUrl needs a class-level extension)");
        }
        return new RedisUrl(url());
    }

    // ---- starting and stopping ----

    /** A running server: either a child process or an embedded-redis instance. */
    private interface Server {
        int port();

        void stop() throws Exception;
    }

    private static Server startOnFreePort() throws Exception {
        boolean onPath = RedisProcess.executable() != null;
        Exception last = null;
        // Another process can take the free port between probing and binding, so try a few ports.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = RedisProcess.freePort();
            try {
                Server s = onPath ? startProcess(port) : startEmbedded(port);
                log.info("Redis for tests on port {} ({})", port, onPath ? RedisProcess.executable() : "embedded-redis");
                return s;
            } catch (Exception e) {
                last = e;
                log.warn("could not start Redis on port {}: {}", port, e.toString());
            }
        }
        throw last;
    }

    private static Server startProcess(int port) throws Exception {
        RedisProcess process = RedisProcess.start(port, List.of("save \"\"", "appendonly no"));
        return new Server() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() {
                process.close();
            }
        };
    }

    private static Server startEmbedded(int port) throws Exception {
        redis.embedded.RedisServer embedded = redis.embedded.RedisServer.newRedisServer()
                .port(port).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
        embedded.start();
        awaitPing(port, embedded::isActive);
        return new Server() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws java.io.IOException {
                embedded.stop();
            }
        };
    }

    private static void awaitPing(int port, java.util.function.BooleanSupplier alive) {
        org.awaitility.Awaitility.await("Redis answering PING on port " + port)
                .atMost(START_TIMEOUT).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> {
                    if (!alive.getAsBoolean()) {
                        throw new IllegalStateException("Redis exited during start-up");
                    }
                    try {
                        return command(port, "PING").startsWith("+PONG");
                    } catch (RuntimeException notYet) {
                        return false;
                    }
                });
    }

    private static String command(int port, String inline) {
        return RedisProcess.command(port, inline);
    }
}
