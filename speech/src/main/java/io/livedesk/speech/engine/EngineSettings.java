package io.livedesk.speech.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How the in-process engine runs.
 *
 * @param workers      recognition threads; Vosk decoding is CPU-bound, so about one per core
 * @param maxStreams   streams open at once, whatever their load (each recognizer holds memory)
 * @param queueLimit   audio a stream may have waiting; a stream past it triggers shedding
 * @param targetLoad   share of the workers' real-time capacity that admission fills, 0..1
 * @param closeTimeout how long {@code close()} waits for workers to free their recognizers
 */
public record EngineSettings(int workers, int maxStreams, Duration queueLimit, double targetLoad,
                             Duration closeTimeout) {

    public EngineSettings {
        Objects.requireNonNull(queueLimit, "queueLimit");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (workers < 1) {
            throw new IllegalArgumentException("workers < 1: " + workers);
        }
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams < 1: " + maxStreams);
        }
        if (queueLimit.toMillis() < 100) {
            throw new IllegalArgumentException("queueLimit below 100 ms: " + queueLimit);
        }
        if (!(targetLoad > 0 && targetLoad <= 1)) {
            throw new IllegalArgumentException("targetLoad outside (0, 1]: " + targetLoad);
        }
    }

    /** One worker per core, 100 streams, 3 s of queue, admission up to 80 % of capacity. */
    public static EngineSettings defaults() {
        return new EngineSettings(Runtime.getRuntime().availableProcessors(), 100, Duration.ofSeconds(3), 0.8,
                Duration.ofSeconds(5));
    }

    public EngineSettings withWorkers(int n) {
        return new EngineSettings(n, maxStreams, queueLimit, targetLoad, closeTimeout);
    }

    public EngineSettings withQueueLimit(Duration limit) {
        return new EngineSettings(workers, maxStreams, limit, targetLoad, closeTimeout);
    }

    public EngineSettings withMaxStreams(int n) {
        return new EngineSettings(workers, n, queueLimit, targetLoad, closeTimeout);
    }
}
