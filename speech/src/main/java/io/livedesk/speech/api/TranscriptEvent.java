package io.livedesk.speech.api;

import java.util.List;
import java.util.Objects;

/** What a stream reports: partial text, final text with word timings, and its end. */
public sealed interface TranscriptEvent {

    /** The current guess for the utterance in progress; replaced by later partials and the final. */
    record Partial(String text) implements TranscriptEvent {
        public Partial {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A finished utterance (the recognizer's endpoint, or the end of audio).
     *
     * @param words word timings, empty when the spec asked for none or the text is empty
     * @param start seconds from the start of the stream to the earliest word start (0 without words)
     * @param end   seconds from the start of the stream to the latest word end (0 without words)
     * @param alternatives the n-best list when the stream asked for alternatives, best first (then
     *              {@code text} and {@code words} are the best one's); empty otherwise
     */
    record Final(String text, List<Word> words, double start, double end, List<Alternative> alternatives)
            implements TranscriptEvent {
        public Final {
            Objects.requireNonNull(text, "text");
            words = List.copyOf(words);
            alternatives = List.copyOf(alternatives);
        }

        /** A final without alternatives. */
        public Final(String text, List<Word> words, double start, double end) {
            this(text, words, start, end, List.of());
        }

        public static Final of(String text, List<Word> words) {
            return of(text, words, List.of());
        }

        public static Final of(String text, List<Word> words, List<Alternative> alternatives) {
            double start = Double.MAX_VALUE;
            double end = 0;
            for (Word w : words) {
                start = Math.min(start, w.start());
                end = Math.max(end, w.end());
            }
            return words.isEmpty() ? new Final(text, words, 0, 0, alternatives)
                    : new Final(text, words, start, end, alternatives);
        }

        public boolean isEmpty() {
            return text.isEmpty();
        }
    }

    /**
     * The stream's end: exactly one per stream, the last event it sends.
     *
     * @param reason why, for logs and operators: e.g. {@code overloaded}; never transcript text
     */
    record Status(StreamState state, String reason) implements TranscriptEvent {
        public Status {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** How a stream ended. */
    enum StreamState {
        /** After {@code finish()}: every result was delivered. */
        ENDED,
        /** Dropped to protect the other streams (reason {@code overloaded}); its audio was not all recognised. */
        SHED,
        /** Recognition or the connection to a speech node failed; the reason says what. */
        FAILED
    }
}
