package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceStatsTest {
    private static final long T0 = Instant.parse("2026-12-05T16:30:00Z").toEpochMilli();
    private static final long TARGET = 20_000;

    private static CallRecord queued() {
        return CallRecord.queued(CallId.of("r-1"), Subject.of("cust-1"), "Li Wei", "loans", "zh", 0, T0);
    }

    private static CallRecord answered(long atMs) {
        return queued().offered(Subject.of("staff-7"), "Zhang Min", atMs - 1).answered(atMs);
    }

    @Test
    void anAnswerCountsForTheQueueAndTheStaffMemberWithinTheTargetOrNot() {
        CallRecord ringing = queued().offered(Subject.of("staff-7"), "Zhang Min", T0 + 19_000);
        assertEquals(Map.of(DayCounter.queue("loans", "zh", DayCounter.ANSWERED), 1L,
                        DayCounter.queue("loans", "zh", DayCounter.ANSWERED_IN_TARGET), 1L,
                        DayCounter.queue("loans", "zh", DayCounter.WAIT_MS), 20_000L,
                        DayCounter.staff("staff-7", DayCounter.CALLS), 1L),
                ServiceStats.increments(ringing, ringing.answered(T0 + 20_000), TARGET), "exactly the target is within it");
        Map<DayCounter, Long> late = ServiceStats.increments(ringing, ringing.answered(T0 + 20_001), TARGET);
        assertEquals(null, late.get(DayCounter.queue("loans", "zh", DayCounter.ANSWERED_IN_TARGET)));
        assertEquals(Map.of(), ServiceStats.increments(answered(T0 + 5), answered(T0 + 5).connected(T0 + 6), TARGET),
                "connecting the media changes no counter");
    }

    @Test
    void aCustomerGivingUpOrLetGoAfterTheMaximumWaitCountsAsAbandoned() {
        assertEquals(Map.of(DayCounter.queue("loans", "zh", DayCounter.ABANDONED), 1L),
                ServiceStats.increments(queued(), queued().ended(EndReason.CUSTOMER_CANCELLED, T0 + 8_000), TARGET));
        assertEquals(Map.of(DayCounter.queue("loans", "zh", DayCounter.ABANDONED), 1L),
                ServiceStats.increments(queued(), queued().ended(EndReason.CUSTOMER_DISCONNECTED, T0 + 8_000), TARGET));
        assertEquals(Map.of(DayCounter.queue("loans", "zh", DayCounter.ABANDONED), 1L),
                ServiceStats.increments(queued(), queued().ended(EndReason.MAX_WAIT, T0 + 600_000), TARGET),
                "the service failed to answer it");
        assertEquals(Map.of(), ServiceStats.increments(queued(), queued().ended(EndReason.SERVER_SHUTDOWN, T0 + 8_000), TARGET),
                "the server ending it is not the customer giving up");
    }

    @Test
    void talkTimeIsSplitAtATransferAndCountedWhenEachShareEnds() {
        CallRecord live = answered(T0 + 10_000);
        CallRecord waiting = live.transferring(RequestId.of("t-1"), null);
        CallRecord moved = waiting.transferredTo(Subject.of("staff-9"), "Wang Fang", T0 + 70_000);
        assertEquals(Map.of(DayCounter.staff("staff-7", DayCounter.TALK_MS), 60_000L,
                        DayCounter.staff("staff-7", DayCounter.TRANSFERS), 1L,
                        DayCounter.staff("staff-9", DayCounter.CALLS), 1L),
                ServiceStats.increments(waiting, moved, TARGET));
        assertEquals(Map.of(DayCounter.staff("staff-9", DayCounter.TALK_MS), 30_000L),
                ServiceStats.increments(moved, moved.ended(EndReason.CUSTOMER_HANGUP, T0 + 100_000), TARGET));
    }

    @Test
    void theDayIsTheBanksAndOffersCountAsDeclinesOrMisses() {
        InMemoryDayStatsStore store = new InMemoryDayStatsStore(3);
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(T0));
        ServiceStats shanghai = new ServiceStats(store, clock, ZoneId.of("Asia/Shanghai"), TARGET);
        assertEquals(LocalDate.of(2026, 12, 5), new ServiceStats(store, clock, ZoneId.of("UTC"), TARGET).day(T0));
        assertEquals(LocalDate.of(2026, 12, 5), shanghai.day(T0 - 8 * 3_600_000L), "16:30 in Shanghai");
        assertEquals(LocalDate.of(2026, 12, 5).plusDays(1), shanghai.day(T0), "16:30 UTC is half past midnight there, the next day");
        shanghai.offerReleased(Subject.of("staff-7"), true);
        shanghai.offerReleased(Subject.of("staff-7"), false);
        shanghai.offerReleased(Subject.of("staff-7"), false);
        assertEquals(Map.of(DayCounter.staff("staff-7", DayCounter.DECLINES), 1L,
                DayCounter.staff("staff-7", DayCounter.MISSED), 2L), store.read(LocalDate.of(2026, 12, 6)));
    }

    @Test
    void aBurstOfEventsIsWrittenOnceThenTheWallboardsAreTold() throws Exception {
        InMemoryDayStatsStore memory = new InMemoryDayStatsStore(3);
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        DayStatsStore counted = new DayStatsStore() {
            @Override
            public java.util.concurrent.CompletionStage<Void> add(LocalDate day, Map<DayCounter, Long> increments) {
                writes.incrementAndGet();
                return memory.add(day, increments);
            }

            @Override
            public Map<DayCounter, Long> read(LocalDate day) {
                return memory.read(day);
            }
        };
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        try {
            ServiceStats stats = new ServiceStats(counted, new MutableClock(Instant.ofEpochMilli(T0)), ZoneId.of("UTC"),
                    TARGET, timer, told::countDown);
            stats.offerReleased(Subject.of("staff-7"), true);
            stats.offerReleased(Subject.of("staff-7"), true);
            stats.offerReleased(Subject.of("staff-7"), false);
            stats.requestOpened();
            assertEquals(true, told.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(1, writes.get(), "one write for the burst");
            assertEquals(Map.of(DayCounter.staff("staff-7", DayCounter.DECLINES), 2L,
                    DayCounter.staff("staff-7", DayCounter.MISSED), 1L), memory.read(LocalDate.of(2026, 12, 5)));
        } finally {
            timer.shutdownNow();
        }
    }
}
