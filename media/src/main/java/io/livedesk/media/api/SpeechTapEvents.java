package io.livedesk.media.api;

import io.livedesk.speech.api.TranscriptEvent;

import java.util.List;
import java.util.Objects;

/**
 * What speech taps recognised since the caller's cursors: per tap, the events in order from the cursor it gave.
 *
 * @param taps one entry per tap asked about (a reply may hold fewer events than wait: ask again from {@code next})
 */
public record SpeechTapEvents(List<Tap> taps) {
    public SpeechTapEvents {
        taps = List.copyOf(taps);
    }

    /**
     * One tap's events.
     *
     * @param next      the cursor to ask with next time: the cursor given plus the events here
     * @param lagMillis how far its recognition is behind the audio tapped
     * @param gone      the bridge has no such tap (never had, or it ended and was forgotten): nothing more will come
     * @param events    partials, finals (times in epoch seconds: the bridge maps recognizer time to when it was said)
     *                  and, last, one {@link TranscriptEvent.Status}
     */
    public record Tap(String tapId, long next, long lagMillis, boolean gone, List<TranscriptEvent> events) {
        public Tap {
            Objects.requireNonNull(tapId, "tapId");
            events = List.copyOf(events);
        }

        public static Tap gone(String tapId, long cursor) {
            return new Tap(tapId, cursor, 0, true, List.of());
        }
    }
}
