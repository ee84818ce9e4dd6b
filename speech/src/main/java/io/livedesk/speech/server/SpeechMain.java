package io.livedesk.speech.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;

import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.SpeechModelException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a speech node as its own process: {@code java -jar livedesk-speech.jar --port 2700 --models
 * /opt/vosk --model en=vosk-model-small-en-us-0.15 --model zh=vosk-model-small-cn-0.22}. Speaks the
 * vosk-server protocol on {@code ws://host:PORT/} (default language) and {@code /{language}}.
 * SIGTERM stops it: no new connections, open streams closed, models freed.
 */
@Command(name = "livedesk-speech", mixinStandardHelpOptions = true, version = SpeechMain.VERSION,
        sortOptions = false, description = "LiveDesk speech node: Vosk behind the vosk-server WebSocket protocol.")
public final class SpeechMain implements Callable<Integer> {
    static final String VERSION = "0.1.0";
    static final String LOGBACK_PROPERTY = "logback.configurationFile";
    static final String LOGBACK_FILE = "logback-speech.xml";

    @Option(names = "--port", defaultValue = "2700", description = "WebSocket port, all interfaces (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--models", defaultValue = "models", description = "Folder holding the model folders (default: ${DEFAULT-VALUE}).")
    Path models;

    @Option(names = "--model", paramLabel = "LANG=FOLDER", mapFallbackValue = "",
            description = "A language and its model folder (relative to --models, or absolute); repeat per language. "
                    + "None: the node runs with speech disabled (/readyz 503).")
    Map<String, String> model = new LinkedHashMap<>();

    @Option(names = "--default-language", description = "Language of connections to / (default: the first --model).")
    String defaultLanguage;

    @Option(names = "--default-sample-rate", defaultValue = "16000",
            description = "Rate assumed when audio comes before a config message (default: ${DEFAULT-VALUE}).")
    int defaultSampleRate;

    @Option(names = "--workers", defaultValue = "0", description = "Recognition threads; 0: one per core (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--max-streams", defaultValue = "100", description = "Streams at once (default: ${DEFAULT-VALUE}).")
    int maxStreams;

    @Option(names = "--queue-limit", defaultValue = "3s", converter = DurationConverter.class,
            description = "Lag at which the newest lagging stream is shed (default: ${DEFAULT-VALUE}).")
    Duration queueLimit;

    @Option(names = "--target-load", defaultValue = "0.8",
            description = "Share of real-time capacity that admission fills (default: ${DEFAULT-VALUE}).")
    double targetLoad;

    @Option(names = "--max-frame-bytes", defaultValue = "262144", description = "Largest audio frame (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--idle-timeout", defaultValue = "60s", converter = DurationConverter.class,
            description = "Close connections silent this long (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", defaultValue = "500", description = "Open connections at most (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--io-threads", defaultValue = "4", description = "Threads reading WebSocket frames (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--close-timeout", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long shutdown waits for workers (default: ${DEFAULT-VALUE}).")
    Duration closeTimeout;

    @Option(names = "--http-host", defaultValue = "127.0.0.1",
            description = "/healthz, /readyz, /metrics bind address; private (default: ${DEFAULT-VALUE}).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "2701", description = "Health/metrics port; -1 none (default: ${DEFAULT-VALUE}).")
    int httpPort;

    public static void main(String[] args) {
        // Before anything asks for a logger.
        if (System.getProperty(LOGBACK_PROPERTY) == null) {
            System.setProperty(LOGBACK_PROPERTY, LOGBACK_FILE);
        }
        // Tyrus and Grizzly log through java.util.logging: warnings only, unless the operator configured JUL.
        if (System.getProperty("java.util.logging.config.file") == null) {
            java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        }
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SpeechMain());
        // A bad model folder or a taken port: one clear line, not a stack trace.
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("livedesk-speech: " + e.getMessage());
            return 2;
        });
        return cli;
    }

    SpeechNode.Settings settings() {
        int threads = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        String language = defaultLanguage != null ? defaultLanguage
                : model.isEmpty() ? "en" : model.keySet().iterator().next();
        return new SpeechNode.Settings(models, model,
                new EngineSettings(threads, maxStreams, queueLimit, targetLoad, closeTimeout),
                new ServerSettings(port, language, defaultSampleRate, maxFrameBytes, idleTimeout, maxConnections,
                        ioThreads, 256),
                httpHost, httpPort);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        SpeechNode node;
        try {
            node = SpeechNode.start(settings());
        } catch (SpeechModelException e) {
            throw new IOException(e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "livedesk-speech-shutdown"));
        String where = String.format("speech node: ws://0.0.0.0:%d/ (languages %s)%s", node.port(),
                node.service().status().languages(),
                node.httpPort() < 0 ? "" : String.format(", /healthz /readyz /metrics on http://%s:%d", httpHost,
                        node.httpPort()));
        LoggerFactory.getLogger(SpeechMain.class).info(where);
        System.out.println(where);
        node.awaitStopped();
        return 0;
    }
}
