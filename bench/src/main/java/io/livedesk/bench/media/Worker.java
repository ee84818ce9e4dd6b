package io.livedesk.bench.media;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * One bridge worker (the role of a transport receive thread) and the generator thread that plays its
 * endpoints' browsers. They share a single-producer single-consumer ring of protected datagrams, so
 * the browser-side encryption is not charged to the worker's CPU time or allocation.
 */
final class Worker {
    static final int WARMUP = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;
    private static final int RING = 8192;
    private static final int MASK = RING - 1;
    private static final long MAX_LATENCY = 60_000_000_000L;

    final int index;
    final boolean verify;
    final List<SyntheticEndpoint> endpoints = new ArrayList<>();
    volatile int phase = WARMUP;
    volatile Throwable failure;

    private final byte[][] slots = new byte[RING][1500];
    private final int[] lengths = new int[RING];
    private final int[] owners = new int[RING];
    private final long[] stamps = new long[RING];
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private volatile boolean sleeping;
    private boolean realistic;

    Thread thread;
    private Thread generator;
    /** When the packet being forwarded entered the bridge; worker thread only. */
    private long entryNanos;
    /** When the worker took it from the ring. */
    private long dequeueNanos;

    // Measurement results, written by the worker thread, read after join().
    final Histogram latency = new Histogram(MAX_LATENCY, 3);
    /** From the worker taking the packet to the copy being sent: the bridge's own processing, without queueing. */
    final Histogram service = new Histogram(MAX_LATENCY, 3);
    long input;
    long forwarded;
    long forwardedBytes;
    long cpuNanos;
    long allocBytes;
    long wallNanos;
    volatile long generatorBlocked;
    /** CPU time of the generator (the synthetic browsers) in the measured window. */
    volatile long generatorCpuNanos;
    private long generatorCpu0 = -1;

    Worker(int index, boolean verify) {
        this.index = index;
        this.verify = verify;
    }

    void start(boolean realisticPace) {
        this.realistic = realisticPace;
        thread = new Thread(this::runWorker, "fwdw-" + index);
        generator = new Thread(this::runGenerator, "fwdg-" + index);
        thread.setDaemon(true);
        generator.setDaemon(true);
        thread.start();
        generator.start();
    }

    void join() throws InterruptedException {
        thread.join();
        generator.join();
    }

    /** Called by {@link BenchLink} on this worker's thread once a receiver's copy is protected. */
    void sent(int bytes) {
        forwarded++;
        forwardedBytes += bytes;
        long now = System.nanoTime();
        latency.recordValue(Math.min(Math.max(now - entryNanos, 0), MAX_LATENCY));
        service.recordValue(Math.min(Math.max(now - dequeueNanos, 0), MAX_LATENCY));
    }

    private void runWorker() {
        try {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            boolean measuring = false;
            long cpu0 = 0;
            long alloc0 = 0;
            long wall0 = 0;
            int idle = 0;
            while (true) {
                int p = phase;
                if (p == MEASURE && !measuring) {
                    measuring = true;
                    input = 0;
                    forwarded = 0;
                    forwardedBytes = 0;
                    latency.reset();
                    service.reset();
                    wall0 = System.nanoTime();
                    cpu0 = threads.getCurrentThreadCpuTime();
                    alloc0 = threads.getThreadAllocatedBytes(tid);
                } else if (p == STOP) {
                    if (measuring) {
                        allocBytes = threads.getThreadAllocatedBytes(tid) - alloc0;
                        cpuNanos = threads.getCurrentThreadCpuTime() - cpu0;
                        wallNanos = System.nanoTime() - wall0;
                    }
                    return;
                }
                long h = head.get();
                if (h == tail.get()) {
                    if (++idle < 200) {
                        Thread.onSpinWait();
                    } else {
                        sleeping = true;
                        if (h == tail.get() && phase == p) {
                            LockSupport.parkNanos(this, 1_000_000L);
                        }
                        sleeping = false;
                        idle = 0;
                    }
                    continue;
                }
                idle = 0;
                int i = (int) (h & MASK);
                dequeueNanos = System.nanoTime();
                entryNanos = realistic ? stamps[i] : dequeueNanos;
                endpoints.get(owners[i]).bridgeReceive(slots[i], 0, lengths[i]);
                input++;
                head.lazySet(h + 1);
            }
        } catch (Throwable t) {
            failure = t;
            phase = STOP;
        }
    }

    /** A stream's schedule: a video frame every 1/fps s, an audio packet every 20 ms. */
    private static final class Schedule {
        final SyntheticEndpoint endpoint;
        final boolean video;
        final long interval;
        long due;

        Schedule(SyntheticEndpoint endpoint, boolean video, long interval, long due) {
            this.endpoint = endpoint;
            this.video = video;
            this.interval = interval;
            this.due = due;
        }
    }

    /**
     * Realistic pace: real time. Max pace: the same schedule on a virtual clock that jumps to the next
     * due stream, so the mix and order of packets are the same, only as fast as the worker takes them.
     */
    private void runGenerator() {
        try {
            SplittableRandom random = new SplittableRandom(index);
            List<Schedule> schedules = new ArrayList<>();
            for (SyntheticEndpoint ep : endpoints) {
                long frame = 1_000_000_000L / ep.fps;
                schedules.add(new Schedule(ep, true, frame, random.nextLong(frame)));
                schedules.add(new Schedule(ep, false, 20_000_000L, random.nextLong(20_000_000L)));
            }
            Schedule[] all = schedules.toArray(new Schedule[0]);
            long start = System.nanoTime();
            while (true) {
                int p = phase;
                if (p == MEASURE && generatorCpu0 < 0) {
                    generatorCpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    generatorBlocked = 0;
                } else if (p == STOP) {
                    return;
                }
                long min = Long.MAX_VALUE;
                for (Schedule s : all) {
                    min = Math.min(min, s.due);
                }
                long now;
                if (realistic) {
                    now = System.nanoTime() - start;
                    if (min > now) {
                        LockSupport.parkNanos(Math.min(min - now, 1_000_000L));
                        continue;
                    }
                } else {
                    now = min;
                }
                for (Schedule s : all) {
                    while (s.due <= now) {
                        if (s.video) {
                            for (int k = 0; k < s.endpoint.packetsPerFrame; k++) {
                                if (!publish(s.endpoint, true, k)) {
                                    return;
                                }
                            }
                        } else if (!publish(s.endpoint, false, 0)) {
                            return;
                        }
                        s.due += s.interval;
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
            phase = STOP;
        } finally {
            if (generatorCpu0 >= 0) {
                generatorCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - generatorCpu0;
            }
        }
    }

    private boolean publish(SyntheticEndpoint ep, boolean video, int k) {
        long t = tail.get();
        boolean waited = false;
        while (t - head.get() >= RING) {
            if (phase == STOP) {
                return false;
            }
            waited = true;
            // Parked, not spinning: the browsers' CPU time is subtracted from the process's, keep it small.
            LockSupport.parkNanos(20_000L);
        }
        if (waited) {
            generatorBlocked++;
        }
        int i = (int) (t & MASK);
        byte[] b = slots[i];
        int len = video ? ep.writeVideo(b, k) : ep.writeAudio(b);
        len = ep.protect(b, len);
        if (len < 0) {
            throw new IllegalStateException("browser-side SRTP protect failed");
        }
        lengths[i] = len;
        owners[i] = ep.index;
        stamps[i] = System.nanoTime();
        tail.set(t + 1); // a full fence: pairs with the worker's sleeping flag, so no wake-up is missed
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return true;
    }
}
