package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;

/**
 * A request ringing at one staff member until {@code expiresAtMs} (a TaskRouter "reservation").
 *
 * @param first whether this is the request's first offer, known only to the step that made it (the
 *              request->offer latency is measured on that one); false for an offer read back from the store
 */
public record Offer(RequestId requestId, Subject staffId, long offeredAtMs, long expiresAtMs, boolean first) {

    /** An offer as the store keeps it, whether it was the request's first not known. */
    public Offer(RequestId requestId, Subject staffId, long offeredAtMs, long expiresAtMs) {
        this(requestId, staffId, offeredAtMs, expiresAtMs, false);
    }
}
