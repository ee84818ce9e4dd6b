package io.livedesk.speech.api;

import java.util.Optional;

/**
 * Transcription: one {@link SpeechStream} per speaker. Implementations are thread-safe, and {@link
 * #open} never blocks on recognition or on the network, so it may be called from an event loop.
 */
public interface SpeechService extends AutoCloseable {

    /**
     * Opens a stream. The listener is called on the service's own threads, one event at a time per
     * stream, and must not block.
     *
     * @throws SpeechUnavailableException when speech is disabled, the language has no model, the
     *     service is overloaded or closed; the reason says which
     */
    SpeechStream open(StreamSpec spec, TranscriptListener listener) throws SpeechUnavailableException;

    /**
     * The language whose model a vosk-server client means by its config's {@code model}, if this
     * service has it. vosk-server loads any path a client names; a bank's node only switches
     * between the models it was configured with, so here a language code names its model.
     */
    default Optional<String> languageOfModel(String name) {
        return status().languages().contains(name) ? Optional.of(name) : Optional.empty();
    }

    /** A snapshot for health checks, metrics and the operator. */
    SpeechStatus status();

    /** Ends every open stream (no further events) and releases models, threads and connections. */
    @Override
    void close();
}
