package io.livedesk.signaling.redis;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading what the scripts return: flat {field, value, ...} lists as maps. */
public final class RedisHashes {

    private RedisHashes() {
    }

    /** A flat HGETALL-style list as a map. */
    public static Map<String, String> toMap(List<?> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    /** A required field, failing clearly when the stored data is not what this code wrote. */
    public static String field(Map<String, String> hash, String name) {
        String value = hash.get(name);
        if (value == null) {
            throw new IllegalStateException("stored hash lacks field " + name);
        }
        return value;
    }
}
