package io.livedesk.signaling.transcript;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.protocol.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The one way speech results enter signaling: live captions to the call's staff member and supervisors,
 * the stored transcript, and alerts to supervisors.
 *
 * <p>It runs on the caller's thread (a speech thread) and never throws a store or delivery failure at it:
 * those are logged and counted, and the rest goes on (a caption still goes out when storing failed). It
 * blocks at most for the store's and the presence store's timeouts ({@code livedesk.redis.timeout}); sends go
 * through the {@link MessageRouter}. Arguments that break the contract (an unknown speaker, times out of order) are
 * the caller's bug and throw IllegalArgumentException.
 *
 * <p>Recipients come from the {@link CallRecord} given: pass the current one, since supervisors join and
 * leave and a transfer changes the staff member. The customer never gets captions, statuses or alerts.
 * Nothing said, and no customer name, is ever logged.
 */
public final class TranscriptService {
    private static final Logger log = LoggerFactory.getLogger(TranscriptService.class);

    /** What {@link #status} accepts. */
    private static final int MAX_DETAIL = 200;

    private final TranscriptStore store;
    private final AlertRules rules;
    private final MessageRouter router;
    private final PresenceService presence;
    private final TranscriptMetrics metrics;

    public TranscriptService(TranscriptStore store, AlertRules rules, MessageRouter router, PresenceService presence,
                             TranscriptMetrics metrics) {
        this.store = store;
        this.rules = rules;
        this.router = router;
        this.presence = presence;
        this.metrics = metrics;
    }

    /**
     * A partial result: sent as a {@code call.caption} with {@code final: false}, not stored. Blank text is
     * ignored. Call it when the partial text changed, not for every repeat of the same one.
     *
     * @param speakerId who spoke (null when not known)
     */
    public void partial(CallRecord call, Speaker speaker, Subject speakerId, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        metrics.caption("partial");
        toStaffSide(call, new ServerMessage.CallCaption(call.callId(), speaker.wire(), speakerId, text.strip(), false,
                null, null, null));
    }

    /**
     * A final result: stored as a transcript line, sent as a {@code call.caption} with {@code final: true},
     * and checked against the alert rules. Blank text is ignored.
     *
     * @param startedAtMs when the utterance began, epoch ms
     * @param endedAtMs   when it ended, epoch ms
     * @param words       per-word timing, offsets in ms from {@code startedAtMs} (may be empty or null)
     * @return the line as stored (with its seq); empty when the text was blank or storing failed
     */
    public Optional<TranscriptLine> finalResult(CallRecord call, Speaker speaker, Subject speakerId, long startedAtMs,
                                                long endedAtMs, String text, List<TranscriptLine.Word> words) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        TranscriptLine line = TranscriptLine.unsaved(call.callId(), speaker.wire(), speakerId, startedAtMs, endedAtMs,
                text.strip(), words);
        TranscriptLine stored = null;
        try {
            stored = store.append(line);
            metrics.lineStored();
        } catch (RuntimeException e) {
            metrics.storeFailed("append");
            log.warn("storing a transcript line of call {} failed ({}); the caption is still sent", call.callId(),
                    e.getClass().getSimpleName());
        }
        Long seq = stored == null ? null : stored.seq();
        metrics.caption("final");
        toStaffSide(call, new ServerMessage.CallCaption(call.callId(), speaker.wire(), speakerId, line.text(), true,
                startedAtMs, endedAtMs, seq));
        for (AlertRules.Rule rule : rules.matches(line.text())) {
            alert(call, line, seq, rule);
        }
        return Optional.ofNullable(stored);
    }

    /**
     * The state of the call's transcription for a speaker: sent as {@code call.caption.status}.
     *
     * @param speaker the speaker whose stream it is, or null for the whole call
     * @param detail  a short explanation for people (clipped to 200 characters), or null; never transcript text
     */
    public void status(CallRecord call, Speaker speaker, CaptionStatus status, String detail) {
        String d = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        metrics.status(status);
        toStaffSide(call, new ServerMessage.CallCaptionStatus(call.callId(), speaker == null ? null : speaker.wire(),
                status.wire(), d));
    }

    /** The stored transcript of a call, in order (for callers on the node; REST uses the store too). */
    public List<TranscriptLine> lines(CallId callId) {
        return store.lines(callId);
    }

    private void alert(CallRecord call, TranscriptLine line, Long seq, AlertRules.Rule rule) {
        String alertId = UUID.randomUUID().toString();
        ServerMessage.Alert alert = new ServerMessage.Alert(alertId, call.callId(), rule.id(), rule.phrase(),
                line.text(), line.speaker(), line.startedAtMs(), seq,
                call.staffName() == null ? null : new ServerMessage.AlertParty(call.staffName()),
                call.customerName() == null ? null : new ServerMessage.AlertParty(call.customerName()));
        Set<Subject> to = new LinkedHashSet<>(call.supervisorIds());
        try {
            to.addAll(presence.connectedSupervisors());
        } catch (RuntimeException e) {
            metrics.supervisorLookupFailed();
            log.warn("listing connected supervisors for alert {} failed ({}); only the call's supervisors get it",
                    alertId, e.getClass().getSimpleName());
        }
        metrics.alert(rule.id());
        log.info("alert {} ({}) on call {} to {} supervisor(s)", alertId, rule.id(), call.callId(), to.size());
        for (Subject supervisor : to) {
            send(supervisor, alert);
        }
    }

    /** The call's staff member and supervisors; never the customer. */
    private void toStaffSide(CallRecord call, ServerMessage message) {
        if (call.staffId() != null) {
            send(call.staffId(), message);
        }
        for (Subject supervisor : call.supervisorIds()) {
            send(supervisor, message);
        }
    }

    private void send(Subject subject, ServerMessage message) {
        try {
            router.send(subject, message);
        } catch (RuntimeException e) {
            metrics.sendFailed();
            log.debug("{} to {} not delivered ({})", message.type(), subject, e.getClass().getSimpleName());
        }
    }
}
