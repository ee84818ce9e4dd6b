package io.livedesk.speech.api;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a final's n-best list (vosk-server's {@code max_alternatives}).
 *
 * @param confidence Vosk's score for the whole alternative (not a probability: it grows with the
 *                   utterance's length); the best alternative comes first
 * @param words      word timings, empty when the stream asked for none; Vosk gives no per-word
 *                   confidence in alternatives, so {@link Word#conf()} is 1
 */
public record Alternative(String text, double confidence, List<Word> words) {
    public Alternative {
        Objects.requireNonNull(text, "text");
        words = List.copyOf(words);
    }
}
