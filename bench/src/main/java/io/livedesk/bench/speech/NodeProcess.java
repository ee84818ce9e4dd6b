package io.livedesk.bench.speech;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A speech node in its own JVM (this classpath, {@code SpeechMain}), so its CPU time can be read
 * apart from the client's: the WebSocket path's server-side cost.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("speech node: ws://[^:]+:(\\d+)/");

    private final Process process;
    private final int port;

    private NodeProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static NodeProcess start(Path modelsDir, String language, String folder, int workers) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.livedesk.speech.server.SpeechMain", "--port", "0", "--http-port", "-1",
                "--models", modelsDir.toString(), "--model", language + "=" + folder,
                "--workers", String.valueOf(workers), "--max-streams", "100000", "--target-load", "1.0",
                "--queue-limit", "60s", "--max-connections", "100000"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("speech node exited before it was ready"));
        }, "bench-node-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new NodeProcess(p, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** CPU time the node process has used so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS does not report the node's CPU time"));
    }

    /** SIGTERM (the node shuts down cleanly), SIGKILL if it has not exited within 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
