package io.livedesk.signaling.media;

import io.livedesk.signaling.call.CallId;

import java.time.Duration;
import java.util.Optional;

/**
 * Each bridged call's media state ({@link CallMediaState}), written by the call's media node after every change
 * that matters, so that the node that takes the call over when that one dies can go on from it. Writes are
 * compare-and-set on the revision: of two nodes that both believe they hold a call's media (a node taken for
 * dead that was only slow), one writes, and the other learns it lost the call. Both implementations pass
 * {@code CallMediaStoreContract}.
 */
public interface CallMediaStore {

    /**
     * How long a call's state outlives its last write in Redis, so that the state of a call whose end no node saw
     * (it ended while its media node was dead) does not stay forever. A quiet call is not written again, so this is
     * longer than any call lasts.
     */
    Duration TTL = Duration.ofHours(12);

    Optional<CallMediaState> get(CallId callId);

    /**
     * Stores {@code next} if the stored revision is {@code expectedRevision} (0: nothing stored); returns whether
     * it did.
     *
     * @throws IllegalArgumentException unless {@code next}'s revision is {@code expectedRevision + 1}
     */
    boolean compareAndSet(long expectedRevision, CallMediaState next);

    /** The call ended: its state goes. No-op when none is stored. */
    void remove(CallId callId);

    static void checkNext(long expectedRevision, CallMediaState next) {
        if (next.revision() != expectedRevision + 1) {
            throw new IllegalArgumentException("revision " + next.revision() + " does not follow " + expectedRevision);
        }
    }
}
