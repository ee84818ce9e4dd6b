package io.livedesk.signaling.live;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.livedesk.signaling.protocol.ClientMessage;

import java.util.Optional;
import java.util.UUID;

/**
 * A livestream broadcast's id, kept apart from call, request and subject ids by type. On the wire and in
 * stores it is its plain string ({@code "broadcastId"}); the server makes them as {@code b-<uuid>}.
 */
public record BroadcastId(String value) {
    public BroadcastId {
        if (value == null || !ClientMessage.ID.matcher(value).matches()) {
            throw new IllegalArgumentException("broadcastId is not a valid id");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static BroadcastId of(String value) {
        return new BroadcastId(value);
    }

    /** An id read from outside (a URL path), if it is one; anything else names no broadcast. */
    public static Optional<BroadcastId> parse(String raw) {
        return raw != null && ClientMessage.ID.matcher(raw).matches() ? Optional.of(new BroadcastId(raw)) : Optional.empty();
    }

    /** A new, unguessable id: a broadcast's page address carries it, so ids must not be enumerable. */
    public static BroadcastId generate() {
        return new BroadcastId("b-" + UUID.randomUUID());
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
