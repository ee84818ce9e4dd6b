package io.livedesk.speech.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

import io.livedesk.speech.SpeechMetrics;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.LoggerFactory;

/**
 * A speech node: the local engine, the vosk-server WebSocket endpoint over it and (unless turned
 * off) the private health/metrics port. Closing stops them in that order: no new connections,
 * then the streams and models.
 */
public final class SpeechNode implements AutoCloseable {

    /**
     * @param httpHost address of the health/metrics port; loopback by default (it is for the operator)
     * @param httpPort health/metrics port; 0 any free port, -1 none
     */
    public record Settings(Path modelsDir, Map<String, String> models, EngineSettings engine, ServerSettings server,
                           String httpHost, int httpPort) {
        public Settings {
            Objects.requireNonNull(modelsDir, "modelsDir");
            Objects.requireNonNull(models, "models");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(httpHost, "httpHost");
        }
    }

    private final LocalSpeechService service;
    private final SpeechServer server;
    private final HealthServer health;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SpeechNode(LocalSpeechService service, SpeechServer server, HealthServer health) {
        this.service = service;
        this.server = server;
        this.health = health;
    }

    /**
     * @throws io.livedesk.speech.engine.SpeechModelException a model folder is missing or unreadable
     * @throws IOException a port is taken
     */
    public static SpeechNode start(Settings settings) throws IOException {
        LocalSpeechService service = LocalSpeechService.start(settings.modelsDir(), settings.models(), settings.engine());
        SpeechServer server = null;
        try {
            server = SpeechServer.start(service, settings.server());
            HealthServer health = null;
            if (settings.httpPort() >= 0) {
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                SpeechMetrics.bind(registry, service);
                ConnectionStats stats = server.stats();
                Gauge.builder("livedesk.speech.connections.active", stats, ConnectionStats::active)
                        .description("open WebSocket connections").register(registry);
                FunctionCounter.builder("livedesk.speech.connections.opened", stats, ConnectionStats::opened)
                        .description("WebSocket connections accepted").register(registry);
                FunctionCounter.builder("livedesk.speech.connections.errors", stats, ConnectionStats::errors)
                        .description("connections closed for bad input, unknown language, overload or failure")
                        .register(registry);
                String language = settings.server().defaultLanguage();
                Gauge.builder("livedesk.speech.admitting", service, s -> Readiness.of(s, language).ready() ? 1 : 0)
                        .description("1 when a new stream of the default language would be admitted (as /readyz)")
                        .register(registry);
                health = new HealthServer(settings.httpHost(), settings.httpPort(),
                        () -> Readiness.of(service, language), registry::scrape);
            }
            return new SpeechNode(service, server, health);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            service.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** The health/metrics port, or -1 when there is none. */
    public int httpPort() {
        return health == null ? -1 : health.port();
    }

    public LocalSpeechService service() {
        return service;
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            server.close();
            if (health != null) {
                health.close();
            }
            service.close();
        } finally {
            stopped.countDown();
            LoggerFactory.getLogger(SpeechNode.class).info("speech node stopped");
        }
    }
}
