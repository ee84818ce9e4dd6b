package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.MeetingId;

import java.util.Collection;

/**
 * Where a meeting's further conferences (carriers) may go: a bridge other than those holding its conferences now,
 * since two on one bridge would add a relay and no room; for a broadcast any such bridge, for a call one of the region
 * a participant is in. {@link BridgePool} is one; a single bridge is {@link #NONE}.
 */
interface CarrierBridges {

    /** One bridge only: a broadcast never spreads. */
    CarrierBridges NONE = new CarrierBridges() {
        @Override
        public boolean takesConferenceBesides(Collection<MeetingId> held) {
            return false;
        }

        @Override
        public ConferenceReply createBesides(ConferenceRequest create, Collection<MeetingId> held)
                throws BridgeException {
            throw new BridgeException.Unavailable("a single media bridge: no other bridge to spread to", null);
        }
    };

    /** Whether a bridge holding none of {@code held} would take a new conference now (from the last checks). */
    boolean takesConferenceBesides(Collection<MeetingId> held);

    /**
     * Creates the conference on the best bridge holding none of {@code held}; later requests for it go there.
     *
     * @throws BridgeException.Unavailable when no such bridge takes it
     */
    ConferenceReply createBesides(ConferenceRequest create, Collection<MeetingId> held) throws BridgeException;

    /** Whether a bridge of {@code region} holding none of {@code held} would take a new conference now. */
    default boolean takesConferenceIn(String region, Collection<MeetingId> held) {
        return false;
    }

    /**
     * Creates the conference on the best bridge of {@code region} holding none of {@code held}.
     *
     * @throws BridgeException.Unavailable when no such bridge takes it
     */
    default ConferenceReply createIn(String region, ConferenceRequest create, Collection<MeetingId> held)
            throws BridgeException {
        throw new BridgeException.Unavailable("no bridge of region " + region + " to spread to", null);
    }
}
