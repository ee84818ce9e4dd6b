package io.livedesk.signaling.routing;

import java.util.Optional;

/** A request taken out of routing by cancellation; {@code revokedOffer} is the offer it was ringing with, if any. */
public record Cancelled(ServiceRequest request, Optional<Offer> revokedOffer) {
}
