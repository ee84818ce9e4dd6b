package io.livedesk.media.io;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How a media port's event loop waits for datagrams: while they come often, it lets them gather for a short
 * interval and then reads all that arrived in one pass, instead of waking for each one. At 1:1 call rates (a
 * datagram every 50 us or so across all calls, one at a time) the wake-up (the thread switched in, epoll, a
 * receive and a send syscall for one datagram) cost more than forwarding the packet; coalescing spreads it over
 * the datagrams of an interval, at the price of at most that interval of added latency.
 *
 * <p>When a blocking wait returns less than an interval after the previous activity (datagrams come faster than
 * one per interval, so an interval will gather more), the loop sleeps one interval and then asks epoll (or the selector) without blocking; while intervals
 * keep bringing something it goes on that way. Once one brings nothing, or when wake-ups are rare, it blocks as
 * Netty does, so a quiet port costs nothing and a datagram after a silence is handled at once. Pending tasks are
 * never made to wait. The sleep is the point, not a blocking call: nothing else runs on a media port's loops, and
 * a task submitted during it waits at most the interval.
 */
final class CoalescingSelectStrategy implements SelectStrategy {

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    /** True when the last decision was to block: the next call follows a wake-up. */
    private boolean blocked;
    /** True while intervals keep bringing datagrams. */
    private boolean coalescing;
    /** When a wake-up or an interval last brought something. */
    private long lastActivityNanos;

    /** How the loop sleeps an interval (tests count instead). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos);
    }

    CoalescingSelectStrategy(long intervalNanos, LongSupplier clock, Sleeper sleeper) {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("interval must be >= 0");
        }
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.sleeper = sleeper;
        this.lastActivityNanos = clock.getAsLong() - intervalNanos - 1;
    }

    /** One strategy per event loop (Netty asks the factory once per loop); 0 ns: Netty's own behaviour. */
    static SelectStrategyFactory factory(long intervalNanos) {
        return () -> new CoalescingSelectStrategy(intervalNanos, System::nanoTime, LockSupport::parkNanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            blocked = false;
            return selectNow.get();
        }
        if (intervalNanos > 0) {
            if (blocked) { // a blocking wait returned: something came
                long now = clock.getAsLong();
                coalescing = now - lastActivityNanos < intervalNanos;
                lastActivityNanos = now;
            }
            if (coalescing) {
                sleeper.sleep(intervalNanos);
                int ready = selectNow.get();
                if (ready > 0) {
                    lastActivityNanos = clock.getAsLong();
                    blocked = false;
                    return ready;
                }
                coalescing = false;
            }
        }
        blocked = true;
        return SelectStrategy.SELECT;
    }
}
