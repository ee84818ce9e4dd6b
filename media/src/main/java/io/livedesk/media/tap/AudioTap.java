package io.livedesk.media.tap;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

import io.livedesk.media.rtp.RtpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One speaker's audio tap: the receive path {@link #offer}s each RTP packet of the endpoint's audio,
 * which copies the payload into a bounded queue and returns; a pool thread then orders, decodes and
 * resamples it ({@link PacketSequencer}, {@link OpusPlayout}) and calls the {@link AudioSink}. The
 * tap runs on at most one pool thread at a time (it schedules itself when work arrives, like an
 * actor), so its sink sees frames in order without locks.
 *
 * <p>Closing (by its owner, or by the bridge when the endpoint or conference expires) stops intake
 * at once; the queue is discarded and {@link AudioSink#onClose} runs on a pool thread.
 */
public final class AudioTap implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioTap.class);
    /** Packets per turn on a pool thread, so one busy tap cannot starve the others. */
    private static final int BATCH = 16;

    private final String label;
    private final int sampleRate;
    private final AudioSink sink;
    private final IntPredicate isOpus;
    private final ArrayBlockingQueue<TapPacket> queue;
    private final Executor executor;
    private final PacketSequencer sequencer;
    private final OpusPlayout playout;
    /** Runs in {@link #close}: the bridge unhooks the tap from its endpoint. */
    private final Consumer<AudioTap> onClose;
    /** Runs once the tap has finished on its pool thread: the pool forgets it. */
    private final Consumer<AudioTap> onFinished;

    private final LongAdder tapped = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    /** True while a turn is queued or running on the pool. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean closed;

    AudioTap(String label, int sampleRate, AudioSink sink, IntPredicate isOpus, AudioTapSettings settings,
             Executor executor, Consumer<AudioTap> onClose, Consumer<AudioTap> onFinished) {
        this.label = label;
        this.sampleRate = sampleRate;
        this.sink = sink;
        this.isOpus = isOpus;
        this.queue = new ArrayBlockingQueue<>(settings.queuePackets());
        this.executor = executor;
        this.sequencer = new PacketSequencer(settings.reorderPackets(),
                (int) (settings.maxConcealedGap().toMillis() * OpusPlayout.OPUS_RATE / 1000),
                (int) (settings.maxSilence().toMillis() * OpusPlayout.OPUS_RATE / 1000));
        this.playout = new OpusPlayout(label, sampleRate, sink);
        this.onClose = onClose;
        this.onFinished = onFinished;
    }

    /**
     * Takes one decrypted RTP packet of the tapped endpoint's audio. Called on the bridge's receive
     * thread: copies the payload and queues it, never blocks, never decodes; when the queue is full
     * the packet is dropped and counted.
     *
     * @param arrivalNanos when it arrived (any monotonic nanosecond clock), to measure pauses when
     *                     the stream changes
     */
    public void offer(RtpPacket rtp, long arrivalNanos) {
        if (closed) {
            return;
        }
        tapped.increment();
        byte[] payload = null;
        int len = rtp.payloadLength();
        if (len > 0) {
            if (isOpus.test(rtp.payloadType())) {
                int off = rtp.payloadOffset();
                payload = Arrays.copyOfRange(rtp.buffer(), off, off + len);
            } else {
                ignored.increment();
            }
        }
        if (!queue.offer(new TapPacket(rtp.ssrc(), rtp.sequenceNumber(), rtp.timestamp(), arrivalNanos, payload))) {
            dropped.increment();
            return;
        }
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::turn);
            } catch (RejectedExecutionException e) {
                // The pool is shutting down (the bridge is closing): nothing will decode any more.
                scheduled.set(false);
                if (closed) {
                    finish();
                }
            }
        }
    }

    /** One turn on a pool thread: up to a batch of packets, then yield to other taps. */
    private void turn() {
        try {
            for (int i = 0; i < BATCH && !closed; i++) {
                TapPacket p = queue.poll();
                if (p == null) {
                    break;
                }
                sequencer.push(p, playout);
            }
        } catch (RuntimeException e) {
            // A bug, not bad input (the playout counts that): keep the tap and the pool thread alive.
            log.error("audio tap {}: processing failed", label, e);
        }
        if (closed) {
            finish();
            return;
        }
        scheduled.set(false);
        // Work that arrived (or a close) after the loop ended but before the flag was cleared.
        if (!queue.isEmpty() || closed) {
            schedule();
        }
    }

    /** Once: drop what is queued, tell the sink, let the pool forget this tap. */
    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        queue.clear();
        try {
            sink.onClose();
        } catch (RuntimeException e) {
            log.warn("audio tap {}: the sink failed on close", label, e);
        }
        onFinished.accept(this);
    }

    /** Stops the tap: idempotent, returns at once; the sink's {@code onClose} follows on a pool thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onClose.accept(this);
        } finally {
            schedule();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** True once the tap has released everything and its sink has been told. */
    public boolean isFinished() {
        return finished.get();
    }

    /** {@code endpoint@meeting} for the bridge's taps. */
    public String label() {
        return label;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public AudioTapStats stats() {
        return new AudioTapStats(tapped.sum(), dropped.sum(), ignored.sum() + sequencer.ignored(), playout.decoded(),
                playout.decodeErrors(), sequencer.lost(), sequencer.concealed(), sequencer.late(), playout.silenceMs(),
                playout.sinkErrors());
    }

    @Override
    public String toString() {
        return "audio tap " + label + " at " + sampleRate + " Hz";
    }
}
