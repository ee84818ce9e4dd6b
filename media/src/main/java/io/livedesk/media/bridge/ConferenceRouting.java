package io.livedesk.media.bridge;

/**
 * What the packet path reads of its conference: the lock-free snapshots that signaling changes
 * republish. Stages see only this, never the conference's signaling operations.
 */
interface ConferenceRouting {
    /** The stream an endpoint of the conference sends with this SSRC, or null. */
    SenderStream stream(int ssrc);

    /** The simulcast track its receivers get on this SSRC, or null. */
    SimulcastSource simulcast(int receiverSsrc);

    /**
     * Learns a new SSRC of one of {@code owner}'s rid-simulcast tracks from a packet's rid: its layer's stream (or
     * the layer's RTX, {@code repair}) from now on. Null when no track of the owner has that rid.
     */
    SenderStream learn(Endpoint owner, int ssrc, String rid, boolean repair);

    /** The endpoints now: an array snapshot the caller must not modify. */
    Endpoint[] endpoints();
}
