package io.livedesk.speech.server;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.protocol.VoskProtocol;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vosk-server-compatible WebSocket service over a {@link SpeechService}, on Tyrus with the
 * Grizzly container. Paths: {@code /} (the default language) and {@code /{language}}.
 *
 * <p>Tyrus's standalone {@code Server} only deploys endpoint classes it instantiates itself; we
 * register {@link ServerEndpointConfig}s with a configurator instead, so each connection's endpoint
 * gets this server's service and settings without any static state. That is all {@code Server}
 * does besides, on the same container.
 */
public final class SpeechServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpeechServer.class);

    private final ServerContainer container;
    private final int port;
    private final ConnectionStats stats;
    private final IdleSweeper idle;

    private SpeechServer(ServerContainer container, int port, ConnectionStats stats, IdleSweeper idle) {
        this.container = container;
        this.port = port;
        this.stats = stats;
        this.idle = idle;
    }

    /** Binds the port and serves until {@link #close()}. The service stays the caller's to close. */
    public static SpeechServer start(SpeechService service, ServerSettings settings) throws IOException {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(settings, "settings");
        ConnectionStats stats = new ConnectionStats();
        VoskProtocol protocol = new VoskProtocol();
        AtomicLong ids = new AtomicLong();
        IdleSweeper idle = new IdleSweeper(settings.idleTimeout());
        ServerEndpointConfig.Configurator configurator = new ServerEndpointConfig.Configurator() {
            @Override
            public <T> T getEndpointInstance(Class<T> endpointClass) {
                stats.opened.incrementAndGet();
                return endpointClass.cast(new SpeechEndpoint(service, settings, protocol, stats, idle,
                        "c" + ids.incrementAndGet()));
            }
        };

        Map<String, Object> properties = new HashMap<>();
        properties.put(GrizzlyServerContainer.WORKER_THREAD_POOL_CONFIG, ThreadPoolConfig.defaultConfig().copy()
                .setPoolName("ld-speech-ws").setCorePoolSize(settings.ioThreads()).setMaxPoolSize(settings.ioThreads()));
        properties.put(TyrusWebSocketEngine.MAX_SESSIONS_PER_APP, settings.maxConnections());
        // Grizzly's per-connection read limit: a whole frame up to Tyrus's bound, plus frame headers.
        properties.put(TyrusWebSocketEngine.INCOMING_BUFFER_SIZE,
                settings.maxFrameBytes() * SpeechEndpoint.TYRUS_FRAME_FACTOR + 1024);
        ServerContainer container = ServerContainerFactory.createServerContainer(properties);
        try {
            for (String path : List.of("/", "/{" + SpeechEndpoint.LANGUAGE_PARAM + "}")) {
                container.addEndpoint(ServerEndpointConfig.Builder.create(SpeechEndpoint.class, path)
                        .configurator(configurator).build());
            }
            container.start("/", settings.port());
        } catch (DeploymentException e) {
            container.stop();
            idle.close();
            throw new IOException("cannot start the speech WebSocket server on port " + settings.port() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            container.stop();
            idle.close();
            throw new IOException("cannot listen on port " + settings.port() + ": " + e.getMessage(), e);
        }
        int bound = container instanceof TyrusServerContainer t ? t.getPort() : settings.port();
        log.info("speech: vosk-server protocol on ws://0.0.0.0:{}/ (default language '{}') and {}", bound,
                settings.defaultLanguage(), "/{language}");
        return new SpeechServer(container, bound, stats, idle);
    }

    /** The port bound (the real one when 0 was asked for). */
    public int port() {
        return port;
    }

    public ConnectionStats stats() {
        return stats;
    }

    @Override
    public void close() {
        container.stop();
        idle.close();
        log.info("speech: WebSocket server on port {} stopped", port);
    }
}
