package io.livedesk.speech.api;

import java.util.Objects;

/**
 * What a stream carries.
 *
 * @param language   language code with a configured model, e.g. {@code en}, {@code zh}
 * @param sampleRate samples per second of the PCM16 mono audio, {@value #MIN_SAMPLE_RATE} to
 *                   {@value #MAX_SAMPLE_RATE} (a model may need at least its own rate)
 * @param label      for logs only, e.g. {@code call-42/staff}; never put customer data here
 * @param words      whether finals carry word timings (the vosk-server {@code words} option)
 * @param mode       when events are emitted, see {@link ResultMode}
 * @param recognizer alternatives and phrase list, {@link RecognizerOptions#NONE} for the model as it is
 */
public record StreamSpec(String language, int sampleRate, String label, boolean words, ResultMode mode,
                         RecognizerOptions recognizer) {
    public static final int MIN_SAMPLE_RATE = 8000;
    public static final int MAX_SAMPLE_RATE = 48000;
    static final int MAX_LABEL = 80;

    public StreamSpec {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(recognizer, "recognizer");
        if (language.isBlank()) {
            throw new IllegalArgumentException("language is blank");
        }
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate " + sampleRate + " outside "
                    + MIN_SAMPLE_RATE + ".." + MAX_SAMPLE_RATE);
        }
        label = label == null || label.isBlank() ? "-" : label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL) : label;
    }

    /** A stream with the model as it is (no alternatives, no phrase list). */
    public StreamSpec(String language, int sampleRate, String label, boolean words, ResultMode mode) {
        this(language, sampleRate, label, words, mode, RecognizerOptions.NONE);
    }

    /** Captions for a person: word timings, events only when something changed. */
    public static StreamSpec captions(String language, int sampleRate, String label) {
        return new StreamSpec(language, sampleRate, label, true, ResultMode.CAPTIONS);
    }

    public StreamSpec withMode(ResultMode newMode) {
        return new StreamSpec(language, sampleRate, label, words, newMode, recognizer);
    }
}
