package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.call.ServiceEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the day's service from what happens to calls and offers (docs/protocol.md, "Wallboard"): per queue the
 * requests answered (and within the service-level target) and abandoned, per staff member the calls they took,
 * their share of the talk time, declines, ring-outs and transfers. Each event comes from the one node whose
 * store step made it happen, so nothing is counted twice. The day is the bank's ({@code wallboard.time-zone}).
 * Counting never waits for the store; a failed count is logged and lost (the calls themselves are unaffected).
 */
public final class ServiceStats implements ServiceEvents {
    private static final Logger log = LoggerFactory.getLogger(ServiceStats.class);

    private final DayStatsStore store;
    private final Clock clock;
    private final ZoneId zone;
    private final long targetMs;
    private final Runnable changed;

    public ServiceStats(DayStatsStore store, Clock clock, ZoneId zone, long serviceLevelTargetMs) {
        this(store, clock, zone, serviceLevelTargetMs, () -> { });
    }

    /** @param changed told of every event, counted or not: the wallboards have something new to show */
    public ServiceStats(DayStatsStore store, Clock clock, ZoneId zone, long serviceLevelTargetMs, Runnable changed) {
        this.changed = changed;
        this.store = store;
        this.clock = clock;
        this.zone = zone;
        this.targetMs = serviceLevelTargetMs;
    }

    /** The bank's day at {@code epochMs}. */
    public LocalDate day(long epochMs) {
        return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(epochMs), zone);
    }

    @Override
    public void callChanged(CallRecord before, CallRecord after) {
        count(increments(before, after, targetMs));
        changed.run();
    }

    @Override
    public void offerReleased(Subject staffId, boolean declined) {
        count(Map.of(DayCounter.staff(staffId.value(), declined ? DayCounter.DECLINES : DayCounter.MISSED), 1L));
        changed.run();
    }

    @Override
    public void requestOpened() {
        changed.run();
    }

    private void count(Map<DayCounter, Long> increments) {
        if (increments.isEmpty()) {
            return;
        }
        try {
            store.add(day(clock.millis()), increments).exceptionally(e -> {
                log.warn("the day's service counters missed an event: {}", e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            // Counting is never worth failing the call change it follows.
            log.warn("the day's service counters missed an event: {}", e.toString());
        }
    }

    /** What a change of a call record adds to the day's counters (nothing for most changes). */
    static Map<DayCounter, Long> increments(CallRecord before, CallRecord after, long targetMs) {
        Map<DayCounter, Long> inc = new HashMap<>();
        if (before.answeredAtMs() == 0 && after.answeredAtMs() > 0) {
            long wait = after.waitMs(after.answeredAtMs());
            add(inc, queue(after, DayCounter.ANSWERED), 1);
            add(inc, queue(after, DayCounter.WAIT_MS), wait);
            if (wait <= targetMs) {
                add(inc, queue(after, DayCounter.ANSWERED_IN_TARGET), 1);
            }
            add(inc, staff(after.staffId(), DayCounter.CALLS), 1);
        }
        if (before.answeredAtMs() == 0 && after.state() == CallState.ENDED && after.answeredAtMs() == 0
                && before.state() != CallState.ENDED && gaveUp(after.endReason())) {
            add(inc, queue(after, DayCounter.ABANDONED), 1);
        }
        boolean handedOver = before.state().live() && after.state().live() && before.staffId() != null
                && !before.staffId().equals(after.staffId());
        if (handedOver) {
            // The former staff member's share ends when the next one took the call.
            add(inc, staff(before.staffId(), DayCounter.TALK_MS), Math.max(0, after.staffSinceMs() - before.staffSinceMs()));
            add(inc, staff(before.staffId(), DayCounter.TRANSFERS), 1);
            add(inc, staff(after.staffId(), DayCounter.CALLS), 1);
        }
        if (before.state().live() && after.state() == CallState.ENDED && after.staffId() != null) {
            add(inc, staff(after.staffId(), DayCounter.TALK_MS), after.staffTalkMs(after.endedAtMs()));
        }
        return inc;
    }

    /** The customer gave up waiting (cancelled, or their page went away for good) rather than the server ending it. */
    private static boolean gaveUp(EndReason reason) {
        return reason == EndReason.CUSTOMER_CANCELLED || reason == EndReason.CUSTOMER_DISCONNECTED;
    }

    private static DayCounter queue(CallRecord r, String name) {
        return DayCounter.queue(r.topic(), r.language(), name);
    }

    private static DayCounter staff(Subject staffId, String name) {
        return DayCounter.staff(staffId.value(), name);
    }

    private static void add(Map<DayCounter, Long> inc, DayCounter c, long delta) {
        inc.merge(c, delta, Long::sum);
    }
}
