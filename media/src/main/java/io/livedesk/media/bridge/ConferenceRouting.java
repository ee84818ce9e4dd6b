package io.livedesk.media.bridge;

/**
 * What the packet path reads of its conference: the lock-free snapshots that signaling changes
 * republish. Stages see only this, never the conference's signaling operations.
 */
interface ConferenceRouting {
    /** The stream an endpoint of the conference sends with this SSRC, or null. */
    SenderStream stream(int ssrc);

    /** The endpoints now: an array snapshot the caller must not modify. */
    Endpoint[] endpoints();
}
