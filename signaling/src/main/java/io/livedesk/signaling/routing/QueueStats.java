package io.livedesk.signaling.routing;

/** One topic's queue at a glance: requests waiting (all languages) and when the oldest was enqueued (0 if none). */
public record QueueStats(String topic, int waiting, int offered, long oldestEnqueuedAtMs) {
}
