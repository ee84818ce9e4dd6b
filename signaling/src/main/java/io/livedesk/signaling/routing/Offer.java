package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
/** A request ringing at one staff member until {@code expiresAtMs} (a TaskRouter "reservation"). */
public record Offer(RequestId requestId, Subject staffId, long offeredAtMs, long expiresAtMs) {
}
