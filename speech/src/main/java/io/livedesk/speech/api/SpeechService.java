package io.livedesk.speech.api;

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

    /** A snapshot for health checks, metrics and the operator. */
    SpeechStatus status();

    /** Ends every open stream (no further events) and releases models, threads and connections. */
    @Override
    void close();
}
