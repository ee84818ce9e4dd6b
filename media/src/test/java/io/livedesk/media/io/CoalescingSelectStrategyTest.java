package io.livedesk.media.io;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The media port's waiting: Netty's own (block; with tasks, a look without blocking) when coalescing is off,
 * when wake-ups are rare and when tasks wait; one interval's sleep and a look without blocking while datagrams
 * come often, back to blocking as soon as an interval brings nothing. On a fake clock: nothing sleeps.
 */
class CoalescingSelectStrategyTest {
    private static final long INTERVAL = 200_000;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Long> sleeps = new ArrayList<>();
    private final AtomicInteger looks = new AtomicInteger();
    /** What the next non-blocking looks find ready. */
    private final List<Integer> ready = new ArrayList<>();

    private CoalescingSelectStrategy strategy(long interval) {
        return new CoalescingSelectStrategy(interval, now::get, nanos -> {
            sleeps.add(nanos);
            now.addAndGet(nanos);
        });
    }

    private int decide(CoalescingSelectStrategy s, boolean hasTasks) throws Exception {
        return s.calculateStrategy(() -> {
            looks.incrementAndGet();
            return ready.isEmpty() ? 0 : ready.remove(0);
        }, hasTasks);
    }

    @Test
    void offItBlocksAsNettyDoes() throws Exception {
        CoalescingSelectStrategy s = strategy(0);
        for (int i = 0; i < 5; i++) {
            assertEquals(SelectStrategy.SELECT, decide(s, false));
            now.addAndGet(10_000); // wake-ups 10 us apart: often, but coalescing is off
        }
        ready.add(3);
        assertEquals(3, decide(s, true), "with tasks: a look without blocking");
        assertEquals(List.of(), sleeps);
    }

    @Test
    void rareWakeUpsBlockAtOnce() throws Exception {
        CoalescingSelectStrategy s = strategy(INTERVAL);
        for (int i = 0; i < 5; i++) {
            assertEquals(SelectStrategy.SELECT, decide(s, false));
            now.addAndGet(2 * INTERVAL); // a datagram every 400 us: an interval would mostly gather nothing
        }
        assertEquals(List.of(), sleeps);
        assertEquals(0, looks.get());
    }

    @Test
    void frequentDatagramsGatherForAnIntervalUntilOneBringsNothing() throws Exception {
        CoalescingSelectStrategy s = strategy(INTERVAL);
        assertEquals(SelectStrategy.SELECT, decide(s, false)); // first: block
        now.addAndGet(5 * INTERVAL);
        assertEquals(SelectStrategy.SELECT, decide(s, false), "a datagram after a silence: handled, then block");
        now.addAndGet(INTERVAL / 4); // woken again 50 us later: datagrams come often
        ready.add(4);
        ready.add(2);
        assertEquals(4, decide(s, false), "slept an interval, then read what gathered");
        assertEquals(2, decide(s, false));
        assertEquals(SelectStrategy.SELECT, decide(s, false), "an interval brought nothing: block");
        assertEquals(List.of(INTERVAL, INTERVAL, INTERVAL), sleeps);

        now.addAndGet(INTERVAL / 4); // a datagram after that empty interval: handled, then block
        assertEquals(SelectStrategy.SELECT, decide(s, false));
        now.addAndGet(INTERVAL / 4); // and another soon after: coalescing again
        ready.add(1);
        assertEquals(1, decide(s, false));
        assertEquals(4, sleeps.size());
    }

    @Test
    void pendingTasksNeverWait() throws Exception {
        CoalescingSelectStrategy s = strategy(INTERVAL);
        decide(s, false);
        now.addAndGet(INTERVAL / 4);
        decide(s, false);
        now.addAndGet(INTERVAL / 4);
        ready.add(5);
        assertEquals(5, decide(s, true));
        assertEquals(List.of(), sleeps);
    }
}
