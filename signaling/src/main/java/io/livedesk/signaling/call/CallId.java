package io.livedesk.signaling.call;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.routing.RequestId;

import java.util.Optional;


/**
 * A call's id, kept apart from the other ids by type: a request id, a subject or a meeting id cannot be
 * passed where a call is meant. On the wire and in stores it is its plain string ({@code "callId"}).
 *
 * <p>A customer's own request becomes the call with the same id ({@link #of(RequestId)}); a transfer
 * request hands over a call with an id of its own.
 */
public record CallId(String value) {
    public CallId {
        if (value == null || !ClientMessage.ID.matcher(value).matches()) {
            throw new IllegalArgumentException("callId is not a valid id");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CallId of(String value) {
        return new CallId(value);
    }

    /** An id read from outside (a URL path), if it is one; anything else names no call. */
    public static Optional<CallId> parse(String raw) {
        return raw != null && ClientMessage.ID.matcher(raw).matches() ? Optional.of(new CallId(raw)) : Optional.empty();
    }

    /** The call a customer's own request becomes (not a transfer's: that call has its own id). */
    public static CallId of(RequestId customerRequest) {
        return new CallId(customerRequest.value());
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
