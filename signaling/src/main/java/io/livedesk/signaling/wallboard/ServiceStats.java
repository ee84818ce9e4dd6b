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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the day's service from what happens to calls and offers (docs/protocol.md, "Wallboard"): per queue the
 * requests answered (and within the service-level target) and abandoned, per staff member the calls they took,
 * their share of the talk time, declines, ring-outs and transfers. Each event comes from the one node whose
 * store step made it happen, so nothing is counted twice. The day is the bank's ({@code wallboard.time-zone}).
 * Counting never waits for the store: events are summed here and written in one script run per burst
 * ({@link #BATCH_MS} after its first event), which then tells every node's wallboards (the {@code flushed}
 * hook); a failed write is logged and its counts lost (the calls themselves are unaffected), and so are the
 * counts of the last burst when the node stops.
 */
public final class ServiceStats implements ServiceEvents {
    private static final Logger log = LoggerFactory.getLogger(ServiceStats.class);

    /** How long a burst of events is summed before its counts are written and the wallboards told. */
    static final long BATCH_MS = 50;

    private final DayStatsStore store;
    private final Clock clock;
    private final ZoneId zone;
    private final long targetMs;
    private final ScheduledExecutorService timer;
    private final Runnable flushed;
    /** Counts not written yet, per day and counter. */
    private final Map<LocalDate, Map<DayCounter, AtomicLong>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();

    /** Writes each event's counts at once (tests, tools). */
    public ServiceStats(DayStatsStore store, Clock clock, ZoneId zone, long serviceLevelTargetMs) {
        this(store, clock, zone, serviceLevelTargetMs, null, () -> { });
    }

    /**
     * @param timer   where a burst's counts are written, {@link #BATCH_MS} after its first event; null: at once
     * @param flushed run after each write of a burst (and after an event with nothing to count): the
     *                wallboards have something new to show
     */
    public ServiceStats(DayStatsStore store, Clock clock, ZoneId zone, long serviceLevelTargetMs,
                        ScheduledExecutorService timer, Runnable flushed) {
        this.store = store;
        this.clock = clock;
        this.zone = zone;
        this.targetMs = serviceLevelTargetMs;
        this.timer = timer;
        this.flushed = flushed;
    }

    /** The bank's day at {@code epochMs}. */
    public LocalDate day(long epochMs) {
        return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(epochMs), zone);
    }

    @Override
    public void callChanged(CallRecord before, CallRecord after) {
        count(increments(before, after, targetMs));
    }

    @Override
    public void offerReleased(Subject staffId, boolean declined) {
        count(Map.of(DayCounter.staff(staffId.value(), declined ? DayCounter.DECLINES : DayCounter.MISSED), 1L));
    }

    @Override
    public void requestOpened() {
        count(Map.of());
    }

    private void count(Map<DayCounter, Long> increments) {
        Map<DayCounter, AtomicLong> today = pending.computeIfAbsent(day(clock.millis()), d -> new ConcurrentHashMap<>());
        increments.forEach((c, delta) -> today.computeIfAbsent(c, k -> new AtomicLong()).addAndGet(delta));
        if (timer == null) {
            flush();
            return;
        }
        if (flushScheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(() -> {
                    flushScheduled.set(false);
                    flush();
                }, BATCH_MS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                flushScheduled.set(false); // the node is stopping
            }
        }
    }

    /** Writes what was counted since the last write, one script run per day, then runs the flushed hook. */
    void flush() {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Map.Entry<LocalDate, Map<DayCounter, AtomicLong>> day : pending.entrySet()) {
            Map<DayCounter, Long> increments = new HashMap<>();
            day.getValue().forEach((c, n) -> {
                long delta = n.getAndSet(0);
                if (delta != 0) {
                    increments.put(c, delta);
                }
            });
            if (!day.getKey().equals(day(clock.millis()))) {
                pending.remove(day.getKey(), day.getValue()); // a day that is over gets no more counts
            }
            writes.add(write(day.getKey(), increments));
        }
        // The wallboards are told once the counts are in, so that what they read includes them; not on the
        // store client's I/O thread, which the hook's own publishing would wait on.
        CompletableFuture<Void> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        if (timer == null) {
            all.whenComplete((v, e) -> flushed.run());
        } else {
            all.whenCompleteAsync((v, e) -> flushed.run(), timer);
        }
    }

    /** Never completes exceptionally: a failed write is logged and its counts lost. */
    private CompletableFuture<Void> write(LocalDate day, Map<DayCounter, Long> increments) {
        if (increments.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return store.add(day, increments).toCompletableFuture().exceptionally(e -> {
                log.warn("the day's service counters missed {} counts: {}", increments.size(), e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            // Counting is never worth failing the call change it follows.
            log.warn("the day's service counters missed {} counts: {}", increments.size(), e.toString());
            return CompletableFuture.completedFuture(null);
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

    /**
     * The customer gave up waiting (cancelled, or their page went away for good), or waited the maximum wait: a
     * request the service failed to answer, unlike one the server ended (shutdown).
     */
    private static boolean gaveUp(EndReason reason) {
        return reason == EndReason.CUSTOMER_CANCELLED || reason == EndReason.CUSTOMER_DISCONNECTED
                || reason == EndReason.MAX_WAIT;
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
