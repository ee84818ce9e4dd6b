package io.livedesk.signaling.routing;

/** A request ringing at one staff member until {@code expiresAtMs} (a TaskRouter "reservation"). */
public record Offer(RequestId requestId, String staffId, long offeredAtMs, long expiresAtMs) {
}
