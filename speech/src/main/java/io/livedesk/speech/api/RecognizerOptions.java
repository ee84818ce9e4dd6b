package io.livedesk.speech.api;

import java.util.List;
import java.util.Objects;

/**
 * What a stream asks of its recognizer beyond language and rate: the vosk-server config keys
 * {@code max_alternatives} and {@code phrase_list}. Bounded, because a client names them and each
 * costs the recognizer work (alternatives) or memory (a grammar is compiled per recognizer).
 *
 * @param maxAlternatives 0 for one plain result; above 0 finals carry up to this many alternatives
 *                        (Vosk's n-best list), 0..{@value #MAX_ALTERNATIVES}
 * @param phraseList      a grammar: the recognizer only hears these phrases (Vosk's grammar
 *                        recognizer, which needs a model with a runtime graph; others ignore it and
 *                        log a warning); empty for the model's full vocabulary
 */
public record RecognizerOptions(int maxAlternatives, List<String> phraseList) {
    public static final int MAX_ALTERNATIVES = 100;
    public static final int MAX_PHRASES = 1000;
    public static final int MAX_PHRASE_CHARS = 200;
    /** The model as it is: one result, its full vocabulary. */
    public static final RecognizerOptions NONE = new RecognizerOptions(0, List.of());

    public RecognizerOptions {
        Objects.requireNonNull(phraseList, "phraseList");
        if (maxAlternatives < 0 || maxAlternatives > MAX_ALTERNATIVES) {
            throw new IllegalArgumentException("maxAlternatives outside 0.." + MAX_ALTERNATIVES + ": " + maxAlternatives);
        }
        if (phraseList.size() > MAX_PHRASES) {
            throw new IllegalArgumentException("more than " + MAX_PHRASES + " phrases: " + phraseList.size());
        }
        for (String p : phraseList) {
            Objects.requireNonNull(p, "phrase");
            if (p.length() > MAX_PHRASE_CHARS) {
                throw new IllegalArgumentException("a phrase longer than " + MAX_PHRASE_CHARS + " characters");
            }
        }
        phraseList = List.copyOf(phraseList);
    }

    public boolean hasGrammar() {
        return !phraseList.isEmpty();
    }
}
