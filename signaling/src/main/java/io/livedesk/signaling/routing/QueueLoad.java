package io.livedesk.signaling.routing;

/**
 * One queue (a topic in one language) now: requests waiting in it, requests ringing at a member, and when the
 * oldest of them was enqueued (0 when none): the customer still waits while an offer rings.
 */
public record QueueLoad(String topic, String language, int waiting, int ringing, long oldestEnqueuedAtMs) {
}
