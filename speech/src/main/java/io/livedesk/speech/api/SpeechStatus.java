package io.livedesk.speech.api;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a speech service.
 *
 * @param state         whether streams can be opened
 * @param detail        one line for operators: why disabled, or which engine / remote it is
 * @param languages     languages with a model (local); for a remote service the configured ones
 * @param activeStreams open streams
 * @param workers       recognition threads (local), connection threads (remote)
 * @param load          estimated real-time demand of the open streams over the capacity the
 *                      service admits to, 0..; 1 means full (local only, 0 for remote)
 * @param maxLagMillis  the largest lag of any open stream
 * @param opened        streams opened since start
 * @param rejected      opens refused since start (overloaded, unknown language, ...)
 * @param shed          streams shed since start
 * @param failed        streams failed since start
 */
public record SpeechStatus(State state, String detail, List<String> languages, int activeStreams, int workers,
                           double load, long maxLagMillis, long opened, long rejected, long shed, long failed) {

    public SpeechStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        languages = List.copyOf(languages);
    }

    public static SpeechStatus of(State state, String detail) {
        return new SpeechStatus(state, detail, List.of(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public boolean ready() {
        return state == State.READY;
    }

    public enum State {
        /** Streams can be opened. */
        READY,
        /** Speech is off (by configuration, or no model is configured); {@code detail} says which. */
        DISABLED,
        /** The service was closed. */
        CLOSED
    }
}
