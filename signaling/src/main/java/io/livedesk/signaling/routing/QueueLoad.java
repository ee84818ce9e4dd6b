package io.livedesk.signaling.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One queue (a topic in one language) now: requests waiting in it, requests ringing at a member, and when the
 * oldest of them was enqueued (0 when none): the customer still waits while an offer rings.
 */
public record QueueLoad(String topic, String language, int waiting, int ringing, long oldestEnqueuedAtMs) {

    /** The key a queue is found by: {@code topic/language}. */
    public static String key(String topic, String language) {
        return topic + "/" + language;
    }

    /** The loads by {@link #key}. */
    public static Map<String, QueueLoad> byQueue(List<QueueLoad> loads) {
        Map<String, QueueLoad> out = new HashMap<>();
        for (QueueLoad l : loads) {
            out.put(key(l.topic(), l.language()), l);
        }
        return out;
    }
}
