package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The livestream broadcasts an identified customer watched, newest first, for their brief on the desk (the
 * newest {@link #LIMIT} broadcasts; watching one again moves it to the front). Both implementations pass
 * {@code WatchHistoryContract}.
 */
public interface WatchHistory {
    int LIMIT = 20;

    /** @param atMs when they started watching */
    record Watched(BroadcastId broadcastId, long atMs) {
    }

    /** They started watching; does not wait for the store. */
    CompletionStage<Void> watched(Subject viewer, BroadcastId broadcastId, long atMs);

    /** Newest first, at most {@code limit} (and {@link #LIMIT}). */
    List<Watched> recent(Subject viewer, int limit);
}
