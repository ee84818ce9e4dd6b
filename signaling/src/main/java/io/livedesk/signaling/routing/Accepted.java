package io.livedesk.signaling.routing;

/** A request its staff member accepted, which has left routing, and the offer they accepted. */
public record Accepted(ServiceRequest request, Offer offer) {
}
