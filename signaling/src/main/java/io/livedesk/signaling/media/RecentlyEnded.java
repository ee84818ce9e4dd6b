package io.livedesk.signaling.media;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Meetings (calls, broadcasts) that ended on this node lately. Work that read its meeting as live just
 * before the end may arrive after the meeting's state was dropped; without this it would build the
 * conference again, and nothing would ever expire it. Ids are never reused, so a bounded memory is enough:
 * the oldest are forgotten first. Thread-safe.
 */
final class RecentlyEnded<K> {
    private final Set<K> ids;

    RecentlyEnded(int kept) {
        this.ids = Collections.newSetFromMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
                return size() > kept;
            }
        });
    }

    synchronized void add(K id) {
        ids.add(id);
    }

    synchronized boolean contains(K id) {
        return ids.contains(id);
    }
}
