package io.livedesk.signaling.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

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
        Path onPath = findOnPath("redis-server");
        Exception last = null;
        // Another process can take the free port between probing and binding, so try a few ports.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Server s = onPath != null ? startProcess(onPath, port) : startEmbedded(port);
                log.info("Redis for tests on port {} ({})", port, onPath != null ? onPath : "embedded-redis");
                return s;
            } catch (Exception e) {
                last = e;
                log.warn("could not start Redis on port {}: {}", port, e.toString());
            }
        }
        throw last;
    }

    private static Server startProcess(Path executable, int port) throws Exception {
        Path dir = Files.createTempDirectory("redis-test-");
        Path logFile = dir.resolve("redis.log");
        Process process = new ProcessBuilder(executable.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        Server server = new Server() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                Files.deleteIfExists(logFile);
                Files.deleteIfExists(dir);
            }
        };
        try {
            awaitPing(port, process::isAlive);
        } catch (Exception e) {
            String output = Files.exists(logFile) ? Files.readString(logFile) : "";
            server.stop();
            throw new IOException("redis-server did not come up: " + output.strip(), e);
        }
        return server;
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
            public void stop() throws IOException {
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

    /** Sends one inline command and returns the first reply line. Enough for PING and FLUSHALL. */
    private static String command(int port, String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString().strip();
        } catch (IOException e) {
            throw new IllegalStateException("Redis on port " + port + " did not answer " + inline, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path findOnPath(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
        for (String dir : dirs) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
