package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.live.BroadcastId;

import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Which bridge conference takes a new livestream viewer's leg, whether the broadcast must spread to one more
 * bridge first, or whether the viewer is refused ({@code broadcast_full}).
 *
 * <p>A broadcast's media is carried by bridge conferences, its <em>carriers</em>: the stage sends to the first,
 * and every viewer's leg is on one of them, receiving the stage's tracks from it. Each further carrier is a
 * conference on another bridge of the pool, joined to the first by a relay that forwards the stage's tracks
 * across ({@link CarrierRelay}); it has its own viewer count, and is passed in the list after the first.
 * {@link BridgeBroadcastMedia} creates the viewer's leg on whichever carrier is chosen, and creates the new carrier
 * when told to. Nothing else decides where viewers go.
 */
@FunctionalInterface
public interface ViewerPlacement {

    /** One bridge conference carrying a broadcast, and how many viewer legs it holds now. */
    record Carrier(MeetingId meetingId, int viewers) {
        public Carrier {
            if (meetingId == null || viewers < 0) {
                throw new IllegalArgumentException("a carrier needs a meeting id and a viewer count of 0 or more");
            }
        }
    }

    /** What to do with a new viewer. */
    sealed interface Placement {
        /** The viewer goes on {@code carrier}, one of those passed in. */
        record On(Carrier carrier) implements Placement {
        }

        /** Every carrier is full and the broadcast may spread: the viewer goes on a new carrier on another bridge. */
        record NewCarrier() implements Placement {
        }

        /** No room anywhere: the viewer is refused with {@code broadcast_full}; {@code why} is for logs. */
        record Full(String why) implements Placement {
        }
    }

    /**
     * @param carriers      the broadcast's carriers now, the one the stage sends to first; never empty
     * @param anotherBridge whether the pool has a bridge, other than the carriers', that would take a conference
     *                      now (up, healthy, not draining); asked only when every carrier is full
     */
    Placement place(BroadcastId broadcast, List<Carrier> carriers, BooleanSupplier anotherBridge);

    /**
     * One carrier only: the broadcast's own conference, until it holds {@code maxViewersPerBridge} viewers (a single
     * bridge, where a broadcast cannot spread).
     */
    static ViewerPlacement singleConference(int maxViewersPerBridge) {
        return spreading(maxViewersPerBridge, 1);
    }

    /**
     * The least loaded carrier with fewer than {@code maxViewersPerBridge} viewers (the earlier on a tie, so the
     * first fills before its relays' bridges); when all are full, a new carrier while the broadcast has fewer than
     * {@code maxBridges} and the pool has another bridge; else full.
     */
    static ViewerPlacement spreading(int maxViewersPerBridge, int maxBridges) {
        if (maxViewersPerBridge < 1 || maxBridges < 1) {
            throw new IllegalArgumentException("max viewers per bridge and max bridges per broadcast must be at "
                    + "least 1: " + maxViewersPerBridge + ", " + maxBridges);
        }
        return (broadcast, carriers, anotherBridge) -> {
            if (carriers.isEmpty()) {
                throw new IllegalArgumentException("a live broadcast has at least its first carrier");
            }
            Carrier least = carriers.stream().min(Comparator.comparingInt(Carrier::viewers)).orElseThrow();
            if (least.viewers() < maxViewersPerBridge) {
                return new Placement.On(least);
            }
            if (carriers.size() >= maxBridges) {
                return new Placement.Full(carriers.size() + " bridge(s), the most a broadcast may use, each with "
                        + maxViewersPerBridge + " viewers");
            }
            if (!anotherBridge.getAsBoolean()) {
                return new Placement.Full("every carrier has " + maxViewersPerBridge
                        + " viewers and no other bridge of the pool takes a conference");
            }
            return new Placement.NewCarrier();
        };
    }
}
