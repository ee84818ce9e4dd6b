package io.livedesk.signaling.routing;

import io.livedesk.signaling.protocol.ServerMessage;

/**
 * A customer's request just queued (or found open again at sign-in): the request itself, which the
 * customer's connection holds while it waits, and how the customer is shown it.
 */
public record Queued(ServiceRequest request, ServerMessage.RequestQueued reply) {
}
