package io.livedesk.bench.sockets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A Janus server as a child process of the benchmark, with its own configuration folder in a temporary
 * folder ({@link JanusConfig}): started, ready once its HTTP API answers, stopped by its pid at the end and
 * its folder deleted. Its warnings and errors are echoed (up to a limit), the rest of its log is dropped unless
 * its debug level asks for more than warnings.
 */
final class JanusProcess implements AutoCloseable {
    /** How often readiness is polled while Janus starts. */
    private static final Duration READY_POLL = Duration.ofMillis(100);
    /** Lines of Janus's warnings and errors echoed before the rest are only counted. */
    private static final int MAX_ECHOED_LINES = 10;
    /** Lines of its output kept to explain a failed start. */
    private static final int TAIL_LINES = 30;
    /** How long Janus may take to stop after SIGTERM before it is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path folder;
    private final int httpPort;
    private final Deque<String> tail = new ArrayDeque<>();
    /** Stops Janus if the benchmark is stopped (SIGTERM, Ctrl-C) before it closes this. */
    private final Thread stopOnExit;

    private JanusProcess(Process process, Path folder, int httpPort) {
        this.process = process;
        this.folder = folder;
        this.httpPort = httpPort;
        this.stopOnExit = new Thread(process::destroy, "bench-janus-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * @param binary         the janus executable
     * @param libraryFolder  where its plugins/ and transports/ are
     * @param iceAddress     the one address its ICE may gather
     * @param debugLevel     its log level, see {@link JanusConfig}
     * @param eventLoops     its event loops, see {@link JanusConfig}
     * @param startTimeout   how long it may take until its API answers
     */
    static JanusProcess start(String binary, Path libraryFolder, String iceAddress, int debugLevel, int eventLoops,
                              Duration startTimeout) throws IOException, InterruptedException {
        int httpPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        Path folder = Files.createTempDirectory("livedesk-bench-janus-");
        Path core = new JanusConfig(libraryFolder, httpPort, iceAddress, debugLevel, eventLoops).write(folder);
        Process p = new ProcessBuilder(binary, "-F", folder.toString(), "-C", core.toString(), "--disable-colors")
                .redirectErrorStream(true).start();
        JanusProcess janus = new JanusProcess(p, folder, httpPort);
        janus.echoOutput(debugLevel > JanusConfig.WARNINGS);
        try {
            janus.awaitReady(startTimeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            janus.close();
            throw e;
        }
        return janus;
    }

    long pid() {
        return process.pid();
    }

    /** The Janus API's root, {@code http://127.0.0.1:<port>/janus}. */
    URI apiUrl() {
        return URI.create("http://127.0.0.1:" + httpPort + "/janus");
    }

    /** Polls {@code GET /janus/info} until it answers 200, Janus exits, or the deadline passes. */
    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(READY_POLL.multipliedBy(10)).build();
        HttpRequest info = HttpRequest.newBuilder(URI.create(apiUrl() + "/info")).timeout(READY_POLL.multipliedBy(10))
                .GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("janus exited with " + process.exitValue() + " before it was ready:\n" + tail());
            }
            try {
                if (http.send(info, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            LockSupport.parkNanos(READY_POLL.toNanos());
        }
        throw new IOException("janus's API did not answer within " + timeout + ":\n" + tail());
    }

    /** @param everything echo every line (a debug level above warnings asks for them), not only problems */
    private void echoOutput(boolean everything) {
        Thread reader = new Thread(() -> {
            int echoed = 0;
            long dropped = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    if (everything) {
                        System.err.println("[janus] " + line);
                    } else if (line.contains("[ERR]") || line.contains("[WARN]") || line.contains("[FATAL]")) {
                        if (echoed++ < MAX_ECHOED_LINES) {
                            System.err.println("[janus] " + line);
                        } else {
                            dropped++;
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            if (dropped > 0) {
                System.err.println("[janus] " + dropped + " more warnings or errors not shown");
            }
        }, "bench-janus-output");
        reader.setDaemon(true);
        reader.start();
    }

    private String tail() {
        synchronized (tail) {
            return String.join("\n", List.copyOf(tail));
        }
    }

    /** Stops Janus by its pid (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}) and deletes its folder. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            deleteFolder();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway, harmlessly
            }
        }
    }

    private void deleteFolder() {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // left in the temporary folder
                }
            });
        } catch (IOException e) {
            // left in the temporary folder
        }
    }
}
