package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Who watched what, in this JVM (one node). */
public final class InMemoryWatchHistory implements WatchHistory {
    /** Per viewer, broadcast -> when, in the order last watched (oldest first). */
    private final Map<Subject, LinkedHashMap<BroadcastId, Long>> byViewer = new HashMap<>();

    @Override
    public synchronized CompletionStage<Void> watched(Subject viewer, BroadcastId broadcastId, long atMs) {
        LinkedHashMap<BroadcastId, Long> theirs = byViewer.computeIfAbsent(viewer, v -> new LinkedHashMap<>());
        theirs.remove(broadcastId);
        theirs.put(broadcastId, atMs);
        while (theirs.size() > LIMIT) {
            theirs.remove(theirs.keySet().iterator().next());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized List<Watched> recent(Subject viewer, int limit) {
        List<Watched> out = new ArrayList<>();
        byViewer.getOrDefault(viewer, new LinkedHashMap<>()).forEach((b, at) -> out.add(0, new Watched(b, at)));
        return List.copyOf(out.subList(0, Math.min(out.size(), Math.min(limit, LIMIT))));
    }
}
