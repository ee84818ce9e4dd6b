package io.livedesk.speech.engine;

import java.io.IOException;
import java.util.List;

import io.livedesk.speech.api.RecognizerOptions;

/** Makes {@link Decoder}s from loaded models; owns the models. Thread-safe. */
public interface DecoderFactory extends AutoCloseable {

    /** Languages with a model, in configuration order. */
    List<String> languages();

    /** The lowest sample rate the language's model can take (Vosk downsamples, but only upsamples if the model allows it). */
    int minSampleRate(String language);

    /** A new recognizer for one stream; the caller closes it. */
    Decoder open(String language, int sampleRate, RecognizerOptions options) throws IOException;

    /** A new recognizer with the model as it is. */
    default Decoder open(String language, int sampleRate) throws IOException {
        return open(language, sampleRate, RecognizerOptions.NONE);
    }

    /**
     * Names a client may give for the language's model besides the language code (its folder),
     * empty when the factory has none.
     */
    default List<String> modelNames(String language) {
        return List.of();
    }

    /** Frees the models. Decoders still open keep their model alive until they are closed (libvosk counts references). */
    @Override
    void close();
}
