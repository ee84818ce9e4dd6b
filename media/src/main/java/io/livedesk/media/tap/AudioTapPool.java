package io.livedesk.media.tap;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoding threads every audio tap of one bridge shares, and the taps that are open. Threads are
 * named {@code ld-audio-tap-<name>-<n>}, at most {@link AudioTapSettings#threads()}, and exist only
 * while there is work (they end after 30 s idle). Each tap queues at most one task, and the pool
 * opens at most {@link AudioTapSettings#maxTaps()} taps, so its task queue is bounded by construction.
 */
public final class AudioTapPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioTapPool.class);

    private final String name;
    private final AudioTapSettings settings;
    private final ThreadPoolExecutor executor;
    private final Set<AudioTap> open = ConcurrentHashMap.newKeySet();
    /** Counters of taps already finished, so totals never go down; guarded by {@link #open}. */
    private AudioTapStats retired = AudioTapStats.ZERO;
    private volatile boolean closed;

    /** @param name what the threads are called after, e.g. the bridge's id */
    public AudioTapPool(String name, AudioTapSettings settings) {
        this.name = name;
        this.settings = settings;
        String prefix = "ld-audio-tap-" + name + "-";
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(settings.maxTaps()), r -> {
                    Thread t = new Thread(r, prefix + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Opens a tap. It receives packets once the caller hooks it into a receive path.
     *
     * @param label      names the tap in logs, e.g. {@code endpoint@meeting}
     * @param sampleRate the rate the sink gets, {@link AudioTapSettings#isSupportedRate}
     * @param isOpus     which RTP payload types are Opus (called on the receive thread)
     * @param onClose    called in {@link AudioTap#close}, on the closing thread: unhook the tap there
     * @throws IllegalArgumentException for an unsupported rate
     * @throws IllegalStateException    when the pool is closed or already has {@code maxTaps} taps
     */
    public AudioTap open(String label, int sampleRate, AudioSink sink, IntPredicate isOpus, Consumer<AudioTap> onClose) {
        if (!AudioTapSettings.isSupportedRate(sampleRate)) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate + " Hz");
        }
        if (sink == null || isOpus == null || onClose == null) {
            throw new NullPointerException("sink, isOpus and onClose are required");
        }
        AudioTap tap = new AudioTap(label, sampleRate, sink, isOpus, settings, executor, onClose, this::finished);
        synchronized (open) {
            if (closed) {
                throw new IllegalStateException("audio tap pool " + name + " is closed");
            }
            if (open.size() >= settings.maxTaps()) {
                throw new IllegalStateException("audio tap pool " + name + " is full (" + settings.maxTaps() + " taps)");
            }
            open.add(tap);
        }
        log.debug("opened {}", tap);
        return tap;
    }

    private void finished(AudioTap tap) {
        AudioTapStats s = tap.stats();
        // Under the lock totals() takes, so a scrape never counts a tap twice or not at all.
        synchronized (open) {
            retired = retired.plus(s);
            open.remove(tap);
        }
        log.debug("finished {}: {}", tap, s);
    }

    /** Taps not yet finished (open, or closed with their last turn still to run). */
    public int openTaps() {
        return open.size();
    }

    /** Threads alive now (0 when idle for a while). */
    public int threads() {
        return executor.getPoolSize();
    }

    /** Counters summed over every tap this pool ever had. */
    public AudioTapStats totals() {
        synchronized (open) {
            AudioTapStats sum = retired;
            for (AudioTap tap : open) {
                sum = sum.plus(tap.stats());
            }
            return sum;
        }
    }

    /** Closes every tap, lets their last turns run (their sinks hear {@code onClose}), stops the threads. */
    @Override
    public void close() {
        List<AudioTap> taps;
        synchronized (open) {
            if (closed) {
                return;
            }
            closed = true;
            taps = List.copyOf(open);
        }
        taps.forEach(AudioTap::close);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("audio tap pool {}: threads still busy after 5 s (a sink blocks?)", name);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
