package io.livedesk.signaling.transcript;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;

import java.util.List;

/**
 * One final utterance of a call's transcript.
 *
 * @param callId      the call
 * @param seq         1, 2, … per call in the order the lines were stored; the store assigns it, so a line
 *                    not stored yet has 0
 * @param speaker     {@link Speaker#wire()}: customer, staff or supervisor
 * @param speakerId   the subject who spoke (the staff member's or supervisor's id, the customer's id), or
 *                    null when not known
 * @param startedAtMs when the utterance began, epoch milliseconds
 * @param endedAtMs   when it ended, epoch milliseconds (not before {@code startedAtMs})
 * @param text        what was said, as recognised
 * @param words       per-word timing and confidence, possibly empty
 */
public record TranscriptLine(CallId callId, long seq, String speaker, Subject speakerId, long startedAtMs,
                             long endedAtMs, String text, List<Word> words) {

    /**
     * One recognised word. Its times are <b>offsets in milliseconds from the line's {@code startedAtMs}</b>
     * (so a line's words read the same whichever clock the recogniser ran on).
     *
     * @param conf the recogniser's confidence, 0 to 1
     */
    public record Word(String word, long startMs, long endMs, double conf) {
        public Word {
            if (word == null) {
                throw new IllegalArgumentException("a word needs its text");
            }
            if (startMs < 0 || endMs < startMs) {
                throw new IllegalArgumentException("a word's offsets must satisfy 0 <= startMs <= endMs, got "
                        + startMs + ".." + endMs);
            }
            if (!(conf >= 0 && conf <= 1)) {
                throw new IllegalArgumentException("a word's conf must be between 0 and 1, got " + conf);
            }
        }
    }

    public TranscriptLine {
        if (callId == null) {
            throw new IllegalArgumentException("a transcript line needs its call id");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        Speaker.fromWire(speaker);
        if (startedAtMs < 0 || endedAtMs < startedAtMs) {
            throw new IllegalArgumentException("a line's times must satisfy 0 <= startedAtMs <= endedAtMs, got "
                    + startedAtMs + ".." + endedAtMs);
        }
        if (text == null) {
            throw new IllegalArgumentException("a transcript line needs its text");
        }
        words = words == null ? List.of() : List.copyOf(words);
    }

    /** A line about to be stored (seq 0: the store assigns the real one). */
    public static TranscriptLine unsaved(CallId callId, String speaker, Subject speakerId, long startedAtMs,
                                         long endedAtMs, String text, List<Word> words) {
        return new TranscriptLine(callId, 0, speaker, speakerId, startedAtMs, endedAtMs, text, words);
    }

    public TranscriptLine withSeq(long n) {
        return new TranscriptLine(callId, n, speaker, speakerId, startedAtMs, endedAtMs, text, words);
    }
}
