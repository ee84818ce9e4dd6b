package io.livedesk.signaling.routing;

import io.livedesk.signaling.protocol.ServerMessage;

import java.util.Optional;

/**
 * A customer's request just queued (or found open again at sign-in): the request itself, which the
 * customer's connection holds while it waits, how the customer is shown it, and the offer it got at once
 * when it was opened (told after the customer's reply, see {@link RoutingService#announce}).
 */
public record Queued(ServiceRequest request, ServerMessage.RequestQueued reply, Optional<OfferMade> offer) {

    /** A request found open (nothing new to tell). */
    public Queued(ServiceRequest request, ServerMessage.RequestQueued reply) {
        this(request, reply, Optional.empty());
    }
}
