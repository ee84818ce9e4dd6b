package io.livedesk.signaling.testing;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} child process on a loopback port (a plain server, a replica, or a Sentinel), in its
 * own temporary directory, answering PING before {@link #start} returns. For the test extensions.
 */
public final class RedisProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** {@code redis-server} on the PATH, or null. */
    public static Path executable() {
        return onPath("redis-server");
    }

    /** A program on the PATH (e.g. {@code redis-cli}), or null. */
    public static Path onPath(String program) {
        String path = System.getenv("PATH");
        for (String d : path == null ? List.<String>of() : List.of(path.split(File.pathSeparator))) {
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Starts {@code redis-server} on the port with persistence off; {@code configLines} (may be empty) go into
     * a config file given first, {@code args} after (e.g. {@code --replicaof 127.0.0.1 6400} or {@code --sentinel}).
     */
    public static RedisProcess start(int port, List<String> configLines, String... args) throws IOException {
        Path exe = executable();
        if (exe == null) {
            throw new IOException("redis-server is not on the PATH");
        }
        Path dir = Files.createTempDirectory("redis-test-");
        Path conf = dir.resolve("redis.conf");
        Files.write(conf, configLines);
        List<String> command = new ArrayList<>(List.of(exe.toString(), conf.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("redis.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisProcess started = new RedisProcess(p, port, dir);
        try {
            org.awaitility.Awaitility.await("Redis answering PING on port " + port)
                    .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("Redis exited during start-up: " + Files.readString(log).strip());
                        }
                        try {
                            return command(port, "PING").startsWith("+PONG");
                        } catch (RuntimeException notYet) {
                            return false;
                        }
                    });
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Sends one inline command and returns its reply (one line for a simple reply). */
    public String command(String inline) {
        return command(port, inline);
    }

    /** Kills the process at once, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    static String command(int port, String inline) {
        return readReply(port, inline);
    }

    /**
     * Sends one inline command and returns the whole reply as its lines (a simple reply, the text of a bulk
     * string, or an array of bulk strings and integers one level deep, as ROLE and SENTINEL answer).
     */
    public String reply(String inline) {
        return readReply(port, inline);
    }

    static String readReply(int port, String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = line(in);
            StringBuilder all = new StringBuilder(first);
            if (first.startsWith("$") && !first.equals("$-1")) {
                // A bulk string (INFO, CLUSTER NODES) spans lines: its length says where it ends.
                byte[] bulk = in.readNBytes(Integer.parseInt(first.substring(1)) + 2);
                return new String(bulk, StandardCharsets.UTF_8).strip();
            }
            if (first.startsWith("*")) {
                int n = Integer.parseInt(first.substring(1));
                for (int i = 0; i < n; i++) {
                    String item = line(in);
                    all.append("\r\n").append(item);
                    if (item.startsWith("$") && !item.equals("$-1")) {
                        all.append("\r\n").append(line(in));
                    } else if (item.startsWith("*")) {
                        for (int j = Integer.parseInt(item.substring(1)); j > 0; j--) {
                            String nested = line(in);
                            all.append("\r\n").append(nested);
                            if (nested.startsWith("$") && !nested.equals("$-1")) {
                                all.append("\r\n").append(line(in));
                            }
                        }
                    }
                }
            }
            return all.toString();
        } catch (IOException e) {
            throw new IllegalStateException("Redis on port " + port + " did not answer " + inline, e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().strip();
    }

    /** A loopback port free right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
