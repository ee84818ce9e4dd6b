package io.livedesk.signaling.live;

import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The one way a broadcast's state, stage or cards change: by compare-and-set on the stored record, reading
 * again once if another change landed first (a counter update never does: counters are outside the
 * revision), and then telling the listeners (the livestream service fans the change out to viewers on
 * every node). Refusals of the record's own rules are {@code invalid_state}.
 */
public final class BroadcastChanges {
    private static final Logger log = LoggerFactory.getLogger(BroadcastChanges.class);

    private final BroadcastStore store;
    private final List<Consumer<Broadcast>> listeners = new CopyOnWriteArrayList<>();

    public BroadcastChanges(BroadcastStore store) {
        this.store = store;
    }

    /** Told of every change that landed through this node, with the record as stored after it. */
    public void onChange(Consumer<Broadcast> listener) {
        listeners.add(listener);
    }

    /**
     * Applies {@code change} to the broadcast if {@code allowed} accepts the caller on the current record.
     *
     * @param allowed throws {@link ProtocolException} (e.g. forbidden) for a caller who may not make it
     * @return the record after the change
     */
    public Broadcast apply(BroadcastId id, Predicate<Broadcast> allowed, UnaryOperator<Broadcast> change, String what) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Broadcast current = store.get(id).orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such broadcast"));
            if (!allowed.test(current)) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "you may not " + what + " this broadcast");
            }
            Broadcast next;
            try {
                next = change.apply(current);
            } catch (IllegalStateException e) {
                throw new ProtocolException(ErrorCode.INVALID_STATE, e.getMessage());
            }
            if (store.compareAndSet(current, next)) {
                Broadcast stored = store.get(id).orElse(next);
                log.info("broadcast {}: {}", id, what);
                for (Consumer<Broadcast> listener : listeners) {
                    try {
                        listener.accept(stored);
                    } catch (RuntimeException e) {
                        log.warn("broadcast {}: a listener failed after '{}': {}", id, what, e.toString());
                    }
                }
                return stored;
            }
        }
        throw new ProtocolException(ErrorCode.INVALID_STATE, "the broadcast changed meanwhile; read it and try again");
    }
}
