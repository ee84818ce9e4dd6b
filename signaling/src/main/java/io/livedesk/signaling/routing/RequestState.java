package io.livedesk.signaling.routing;

/** Where a request stands in routing. A request leaves the routing store when accepted or cancelled. */
public enum RequestState {
    /** In its queue, waiting for a staff member. */
    WAITING,
    /** Out of its queue, ringing at one staff member. */
    OFFERED
}
