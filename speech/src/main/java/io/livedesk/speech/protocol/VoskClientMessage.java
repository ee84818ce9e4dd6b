package io.livedesk.speech.protocol;

/** A text frame from a vosk-server client. */
public sealed interface VoskClientMessage {

    /**
     * {@code {"config":{…}}}. Absent keys are null: the connection keeps its earlier or default value.
     *
     * @param sampleRate      {@code sample_rate}
     * @param words           {@code words}: word timings in results
     * @param maxAlternatives {@code max_alternatives} (only 0 is served)
     */
    record Config(Integer sampleRate, Boolean words, Integer maxAlternatives) implements VoskClientMessage {}

    /** {@code {"eof":1}}: end of audio. */
    record Eof() implements VoskClientMessage {}
}
