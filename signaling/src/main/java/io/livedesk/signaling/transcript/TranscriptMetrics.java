package io.livedesk.signaling.transcript;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Transcription's meters (names in docs/operations.md). Tags carry kinds, statuses and rule ids only:
 * never what was said, never who said it. Until bound to the node's registry it counts into a private one.
 */
public final class TranscriptMetrics implements MeterBinder {
    private volatile MeterRegistry registry = new SimpleMeterRegistry();

    @Override
    public void bindTo(MeterRegistry target) {
        this.registry = target;
    }

    /** @param kind partial or final */
    void caption(String kind) {
        count("livedesk.transcript.captions", "Captions sent to staff and supervisors (one per result, not per recipient)",
                "kind", kind);
    }

    void lineStored() {
        count("livedesk.transcript.lines.stored", "Final transcript lines stored");
    }

    /** @param op append or read */
    void storeFailed(String op) {
        count("livedesk.transcript.store.failures", "Transcript store operations that failed (e.g. Redis away)", "op", op);
    }

    void sendFailed() {
        count("livedesk.transcript.send.failures", "Captions, statuses or alerts that could not be handed to a recipient's node");
    }

    void status(CaptionStatus status) {
        count("livedesk.transcript.status", "Transcription status changes reported", "status", status.wire());
    }

    /** @param ruleId rule-1, rule-2, … (operator configuration, not what was said) */
    void alert(String ruleId) {
        count("livedesk.transcript.alerts", "Alerts raised by a final line matching a rule", "rule", ruleId);
    }

    /** Supervisors could not be listed for an alert; it went to the call's own supervisors only. */
    void supervisorLookupFailed() {
        count("livedesk.transcript.alert.lookup.failures", "Alerts sent only to the call's supervisors because the supervisor list could not be read");
    }

    private void count(String name, String description, String... tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }
}
