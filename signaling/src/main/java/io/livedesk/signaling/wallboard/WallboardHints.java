package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.cluster.MessageRouter;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells every node's wallboards that something changed, so that a node with watchers reads the stores now
 * rather than at its next interval. A burst of changes on this node becomes one hint, sent {@link #DELAY_MS}
 * after its first change (so it covers the rest of the burst). Best effort: a lost hint leaves the periodic
 * read to show the change.
 */
public final class WallboardHints {
    /** The node-task address of hints (no subject can have it). */
    public static final String ADDRESS = "#wallboard";
    static final long DELAY_MS = 50;

    private final MessageRouter router;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean pending = new AtomicBoolean();

    public WallboardHints(MessageRouter router, ScheduledExecutorService timer) {
        this.router = router;
        this.timer = timer;
    }

    /** Something the wallboard shows changed on this node. Never blocks. */
    public void changed() {
        if (pending.compareAndSet(false, true)) {
            try {
                timer.schedule(() -> {
                    pending.set(false);
                    router.toAllNodes(ADDRESS, "{}");
                }, DELAY_MS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                pending.set(false); // shutting down: the periodic read (if any) shows it
            }
        }
    }
}
