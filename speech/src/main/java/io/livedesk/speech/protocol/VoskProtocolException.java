package io.livedesk.speech.protocol;

import java.util.Objects;

import jakarta.websocket.CloseReason.CloseCode;

/** A client broke the protocol: the message goes back as {@code {"error":…}}, then the close code. */
public final class VoskProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient CloseCode closeCode;

    public VoskProtocolException(CloseCode closeCode, String message) {
        super(message);
        this.closeCode = Objects.requireNonNull(closeCode, "closeCode");
    }

    public CloseCode closeCode() {
        return closeCode;
    }
}
