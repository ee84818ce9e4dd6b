package io.livedesk.speech.api;

import java.util.Objects;

/**
 * One recognised word; times in seconds from the start of the stream.
 *
 * @param conf the recognizer's confidence, 0..1
 */
public record Word(String word, double start, double end, double conf) {
    public Word {
        Objects.requireNonNull(word, "word");
    }
}
