package io.livedesk.signaling.routing;

/** Why an offer went back to the queue. */
public enum ReleaseReason {
    DECLINED, TIMEOUT
}
