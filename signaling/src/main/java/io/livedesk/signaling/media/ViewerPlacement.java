package io.livedesk.signaling.media;

import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.live.BroadcastId;

import java.util.List;
import java.util.Optional;

/**
 * Which bridge conference takes a new livestream viewer's leg, or none ({@code broadcast_full}).
 *
 * <p>A broadcast's media is carried by bridge conferences, its <em>carriers</em>: the stage sends to the first,
 * and every viewer's leg is on one of them, receiving the stage's tracks from it. Today a broadcast has one
 * carrier, its own conference ({@link BroadcastMeetings#meetingOf}) on whichever bridge of the pool took it,
 * and {@link #singleConference} places viewers there up to the cap.
 *
 * <p>Bridge relays (issue 13) plug in here: a second bridge joined to the first by a relay (an endpoint on each
 * side forwarding the stage's tracks across) becomes another carrier, with its own conference and its own
 * viewer count, and is passed in the list after the first. A placement that knows relays picks the least
 * loaded carrier below the cap, and when all are full answers that a new relay is needed instead of refusing
 * (this interface then grows that third outcome); {@link BridgeBroadcastMedia} creates the viewer's leg on
 * whichever carrier is chosen. Nothing else decides where viewers go.
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

    /**
     * @param carriers the broadcast's carriers now, the one the stage sends to first; never empty
     * @return the carrier that takes the viewer, one of {@code carriers}; empty to refuse the viewer
     */
    Optional<Carrier> place(BroadcastId broadcast, List<Carrier> carriers);

    /**
     * Today's placement: the broadcast's one conference, until it holds {@code maxViewersPerBridge} viewers
     * ({@code live.max-viewers-per-bridge}).
     */
    static ViewerPlacement singleConference(int maxViewersPerBridge) {
        if (maxViewersPerBridge < 1) {
            throw new IllegalArgumentException("max viewers per bridge must be at least 1: " + maxViewersPerBridge);
        }
        return (broadcast, carriers) -> carriers.stream().limit(1)
                .filter(c -> c.viewers() < maxViewersPerBridge).findFirst();
    }
}
