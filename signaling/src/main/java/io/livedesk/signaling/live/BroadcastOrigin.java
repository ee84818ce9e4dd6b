package io.livedesk.signaling.live;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * Where a service request came from when a viewer pressed "consult now": set by the server from the
 * broadcast's record and the viewer's presence, never from what the client wrote, so staff can trust it.
 *
 * @param title     the broadcast's title when the viewer pressed the button
 * @param card      the product card pressed, or null for the broadcast's own button
 * @param watchedMs how long the viewer had been watching (this stay)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BroadcastOrigin(BroadcastId broadcastId, String title, ProductCard card, long watchedMs) {
    public BroadcastOrigin {
        Objects.requireNonNull(broadcastId, "broadcastId");
        Objects.requireNonNull(title, "title");
        if (watchedMs < 0) {
            throw new IllegalArgumentException("watchedMs cannot be negative");
        }
    }
}
