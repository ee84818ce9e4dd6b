package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;

/**
 * What happened to calls and offers, told once cluster-wide by the node whose store step made it happen: what
 * the day's service statistics count (the supervisor's wallboard). Called on a worker after the store step;
 * implementations must not block.
 */
public interface ServiceEvents {
    ServiceEvents NONE = new ServiceEvents() {
        @Override
        public void callChanged(CallRecord before, CallRecord after) {
        }

        @Override
        public void offerReleased(Subject staffId, boolean declined) {
        }
    };

    /** A customer's request entered routing (waiting, or offered at once). */
    default void requestOpened() {
    }

    /** A change of a call record landed (answered, transferred, ended, …): {@code before} is what it replaced. */
    void callChanged(CallRecord before, CallRecord after);

    /** A staff member declined an offer ({@code declined}) or let it ring out. */
    void offerReleased(Subject staffId, boolean declined);
}
