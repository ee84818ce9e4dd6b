package io.livedesk.speech.api;

import java.util.Objects;

/** A stream could not be opened; {@link #reason()} tells the caller what to do about it. */
public final class SpeechUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a stream was refused. */
    public enum Reason {
        /** Speech is off on this node. */
        DISABLED,
        /** No model for the requested language, or a sample rate the model cannot take. */
        UNSUPPORTED,
        /** The node is at capacity; try again later or elsewhere. */
        OVERLOADED,
        /** The service is closed. */
        CLOSED
    }

    private final Reason reason;

    public SpeechUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
