package io.livedesk.testkit.bridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A LiveDesk bridge node ({@code BridgeMain}) in its own JVM, on this JVM's class path: its CPU time is its own (the
 * benchmarks), and so is its DTLS certificate (one per process: a call moved to another bridge meets another
 * fingerprint, as in production). Started on free loopback ports with the given media I/O, ready once its Colibri2
 * port answers. The I/O may carry more of the node's options after it ({@code "netty --io-threads 2"}).
 * {@link #kill} ends it abruptly, as a crash would.
 */
public final class BridgeNodeProcess implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    /** Stops the bridge if this JVM is stopped (SIGTERM, Ctrl-C) before it closes this. */
    private final Thread stopOnExit;

    private final int mediaPort;

    private BridgeNodeProcess(Process process, int httpPort, int mediaPort) {
        this.mediaPort = mediaPort;
        this.process = process;
        this.httpPort = httpPort;
        this.stopOnExit = new Thread(process::destroy, "bridge-node-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * @param io         the media I/O ({@code netty}, {@code ice4j}) and any more options of the node
     * @param heap       its {@code -Xmx}, e.g. {@code 512m}
     * @param jvmOptions more options for its JVM
     */
    public static BridgeNodeProcess start(String io, String heap, List<String> jvmOptions) throws Exception {
        List<String> ioAndOptions = List.of(io.trim().split("\\s+"));
        int mediaPort;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            mediaPort = s.getLocalPort();
        }
        int httpPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx" + heap));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.livedesk.media.server.BridgeMain", "--io", ioAndOptions.get(0),
                "--media-port", Integer.toString(mediaPort), "--http-port", Integer.toString(httpPort),
                "--id", "node-" + ioAndOptions.get(0) + "-" + httpPort));
        cmd.addAll(ioAndOptions.subList(1, ioAndOptions.size()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Colibri2") || line.contains("colibri") || line.contains("listening")) {
                        ready.complete(null);
                    }
                    if (line.contains("WARN") || line.contains("ERROR")) {
                        System.err.println("[bridge " + io + "] " + line);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the bridge exited before it was ready"));
        }, "bridge-node-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        return new BridgeNodeProcess(p, httpPort, mediaPort);
    }

    public long pid() {
        return process.pid();
    }

    public String colibriUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Its media UDP port on 127.0.0.1. */
    public int mediaPort() {
        return mediaPort;
    }

    /** Ends it at once (SIGKILL): no graceful stop, as when its machine fails. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, harmlessly
        }
    }
}
