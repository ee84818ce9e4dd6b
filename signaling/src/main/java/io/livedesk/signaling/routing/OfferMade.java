package io.livedesk.signaling.routing;

import io.livedesk.signaling.presence.StaffPresence;

/**
 * An offer a routing step just made, with what telling it needs: the request as the member is shown it and
 * the member as they are now (their load counts the offer), so nothing has to be read back from the store.
 */
public record OfferMade(Offer offer, ServiceRequest request, StaffPresence member) {
}
