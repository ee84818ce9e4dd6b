package io.livedesk.speech.protocol;

import java.util.List;

/** A text frame from a vosk-server client. */
public sealed interface VoskClientMessage {

    /**
     * {@code {"config":{…}}}. Absent keys are null: the connection keeps its earlier or default value.
     *
     * @param sampleRate      {@code sample_rate}
     * @param words           {@code words}: word timings in results
     * @param maxAlternatives {@code max_alternatives}: 0 for plain results, up to
     *                        {@link io.livedesk.speech.api.RecognizerOptions#MAX_ALTERNATIVES}
     * @param phraseList      {@code phrase_list}: a grammar; empty (also for {@code null} or {@code []},
     *                        as vosk-server treats them) for the model's full vocabulary
     * @param model           {@code model}: the name of a model this node has (checked by the endpoint)
     */
    record Config(Integer sampleRate, Boolean words, Integer maxAlternatives, List<String> phraseList, String model)
            implements VoskClientMessage {}

    /** {@code {"eof":1}}: end of audio. */
    record Eof() implements VoskClientMessage {}

    /** {@code {"reset":1}}: end the utterance in progress (its final result is the reply), then go on. */
    record Reset() implements VoskClientMessage {}
}
