package io.livedesk.signaling.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livedesk.signaling.protocol.ClientMessage;

import java.util.UUID;

/**
 * A routing request's id, kept apart from call ids by type. On the wire and in stores it is its plain
 * string ({@code "requestId"}). A customer's own request is {@code r-…}, a transfer request {@code t-…}.
 */
public record RequestId(String value) {
    public RequestId {
        if (value == null || !ClientMessage.ID.matcher(value).matches()) {
            throw new IllegalArgumentException("requestId is not a valid id");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RequestId of(String value) {
        return new RequestId(value);
    }

    static RequestId newCustomerRequest() {
        return new RequestId("r-" + UUID.randomUUID());
    }

    static RequestId newTransfer() {
        return new RequestId("t-" + UUID.randomUUID());
    }

    /** Whether the server made this id for a transfer (a customer's own request's id is its call's id). */
    public boolean isTransfer() {
        return value.startsWith("t-");
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
