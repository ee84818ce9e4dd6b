package io.livedesk.speech.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.livedesk.speech.engine.NamedThreads;

/**
 * The speech node's private HTTP port: {@code /healthz} (the process answers), {@code /readyz}
 * (200 when a new stream would be admitted, 503 with the reason when not, see {@link Readiness})
 * and {@code /metrics}
 * (Prometheus text). The JDK's own HTTP server, one thread: three tiny GETs need no more.
 */
final class HealthServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(new NamedThreads("ld-speech-http"));

    HealthServer(String host, int port, Supplier<Readiness> readiness, Supplier<String> metrics) throws IOException {
        http = HttpServer.create(new InetSocketAddress(host, port), 16);
        http.setExecutor(thread);
        http.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
        http.createContext("/readyz", ex -> {
            Readiness r = readiness.get();
            reply(ex, r.ready() ? 200 : 503, "text/plain", r.detail() + "\n");
        });
        http.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        http.start();
    }

    int port() {
        return http.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(status, "HEAD".equals(ex.getRequestMethod()) ? -1 : bytes.length);
            if (!"HEAD".equals(ex.getRequestMethod())) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
    }
}
