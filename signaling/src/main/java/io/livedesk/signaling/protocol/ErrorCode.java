package io.livedesk.signaling.protocol;

import java.util.Locale;

/** Stable error codes of the protocol and the REST API (docs/protocol.md). */
public enum ErrorCode {
    BAD_JSON(400), BAD_MESSAGE(400), UNKNOWN_TYPE(400), FRAME_TOO_LARGE(413), BINARY_NOT_SUPPORTED(400),
    RATE_LIMITED(429), UNAUTHENTICATED(401), INVALID_TOKEN(401), ALREADY_AUTHENTICATED(409), FORBIDDEN(403),
    INVALID_STATE(409), NOT_FOUND(404), UNKNOWN_TOPIC(400), UNSUPPORTED_LANGUAGE(400), CLOSED(409), OFFER_EXPIRED(409),
    BAD_SDP(400), NOT_SUPPORTED(400), BROADCAST_FULL(503), SESSION_REPLACED(409), OVERLOADED(503), UNAVAILABLE(503), INTERNAL(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
