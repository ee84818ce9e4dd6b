package io.livedesk.speech.engine;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.api.TranscriptListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream of the in-process engine. The caller's thread only copies audio into the stream's
 * queue; a worker drains it. At most one worker runs a stream at a time (the {@code scheduled}
 * flag), so the recognizer needs no lock and events come out in order. A worker handles at most
 * {@link #QUANTUM_MILLIS} of a stream's audio, then puts the stream back at the end of the pool's
 * queue, so a stream with a long backlog cannot starve the others.
 *
 * <p>The recognizer is created, used and freed only on workers; a stream that is closed, shed or
 * failed from another thread is marked, and its next drain delivers the status and frees it.
 */
final class LocalStream implements SpeechStream {
    private static final Logger log = LoggerFactory.getLogger(LocalStream.class);
    /** Audio one drain handles before letting other streams run. */
    static final int QUANTUM_MILLIS = 200;
    /** In captions mode, a stream with more audio queued asks for a partial only this often (audio time). */
    static final int PARTIAL_EVERY_MILLIS = 200;
    /** Audio the caller handed over, and when (for the lag). */
    private record Chunk(short[] pcm, long acceptedNanos) {}

    /** The end-of-audio marker in the queue. */
    private static final Chunk FINISH = new Chunk(new short[0], 0);
    /** The end-of-utterance marker ({@link #reset()}): queued, so it lands between the right chunks. */
    private static final Chunk RESET = new Chunk(new short[0], 0);
    /** A stream may hold this many times its queue limit in audio before it is shed for memory's sake. */
    static final int HARD_LIMIT_FACTOR = 10;

    /** Where the stream is; a new instance on every change so one compare-and-set decides races. */
    private record Phase(State state, String reason) {}

    private enum State {
        OPEN, FINISHING, ENDED, SHED, FAILED, CLOSED;

        boolean terminal() {
            return this.ordinal() >= ENDED.ordinal();
        }
    }

    private final LocalSpeechService service;
    private final DecoderFactory decoders;
    private final Executor workers;
    final long seq;
    private final String id;
    final StreamSpec spec;
    private final TranscriptListener listener;
    private final VoskJson json;
    private final long queueLimitNanos;
    private final long hardLimitSamples;
    private final int quantumSamples;
    private final int partialEverySamples;

    private final Queue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final Runnable drainTask = this::drain;
    /** Samples accepted and not yet recognised (including the chunk a worker is on). */
    private final AtomicLong queuedSamples = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicReference<Phase> phase = new AtomicReference<>(new Phase(State.OPEN, ""));

    // Written by the worker that holds the stream; read by others for status.
    private volatile long processedSamples;
    private volatile long processingNanos;
    private volatile boolean released;
    /** When the chunk a worker is on was accepted; 0 when it is on none. */
    private volatile long workingSince;
    // Worker-only.
    private Decoder decoder;
    private String lastPartialJson = "";
    private long samplesSincePartial;

    LocalStream(LocalSpeechService service, DecoderFactory decoders, Executor workers, long seq, StreamSpec spec,
                TranscriptListener listener, VoskJson json, long queueLimitMillis) {
        this.service = service;
        this.decoders = decoders;
        this.workers = workers;
        this.seq = seq;
        this.id = "s" + seq;
        this.spec = spec;
        this.listener = listener;
        this.json = json;
        this.queueLimitNanos = queueLimitMillis * 1_000_000L;
        this.hardLimitSamples = HARD_LIMIT_FACTOR * queueLimitMillis * spec.sampleRate() / 1000;
        this.quantumSamples = QUANTUM_MILLIS * spec.sampleRate() / 1000;
        this.partialEverySamples = PARTIAL_EVERY_MILLIS * spec.sampleRate() / 1000;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean accept(short[] pcm, int offset, int length) {
        if (length < 0 || offset < 0 || offset + length > pcm.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + pcm.length);
        }
        if (phase.get().state() != State.OPEN) {
            return false;
        }
        if (length == 0 && spec.mode() != ResultMode.PER_CHUNK) {
            return true;
        }
        short[] copy = new short[length];
        System.arraycopy(pcm, offset, copy, 0, length);
        return enqueue(copy);
    }

    @Override
    public boolean accept(byte[] pcm16le, int offset, int length) {
        if (length < 0 || offset < 0 || offset + length > pcm16le.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + pcm16le.length);
        }
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("PCM16 needs an even number of bytes, got " + length);
        }
        if (phase.get().state() != State.OPEN) {
            return false;
        }
        if (length == 0 && spec.mode() != ResultMode.PER_CHUNK) {
            return true;
        }
        short[] copy = new short[length / 2];
        for (int i = 0; i < copy.length; i++) {
            int at = offset + 2 * i;
            copy[i] = (short) ((pcm16le[at] & 0xff) | (pcm16le[at + 1] << 8));
        }
        return enqueue(copy);
    }

    private boolean enqueue(short[] samples) {
        long now = System.nanoTime();
        queue.add(new Chunk(samples, now));
        long queued = queuedSamples.addAndGet(samples.length);
        if (queued > hardLimitSamples) {
            // Far more audio than real time could explain: a producer running ahead, not the pool.
            service.overfilled(this, queued * 1000 / spec.sampleRate());
        } else if (lagNanos(now) > queueLimitNanos) {
            service.lagging(this);
        }
        schedule();
        // The stream may have been shed just now (by its own overflow): tell the producer to stop.
        return phase.get().state() == State.OPEN;
    }

    @Override
    public void finish() {
        Phase p = phase.get();
        if (p.state() == State.OPEN && phase.compareAndSet(p, new Phase(State.FINISHING, ""))) {
            queue.add(FINISH);
            schedule();
        }
    }

    @Override
    public void reset() {
        if (phase.get().state() == State.OPEN) {
            queue.add(RESET);
            schedule();
        }
    }

    /**
     * How long the oldest audio not yet recognised has been waiting: the delay the pool adds to this
     * stream. A producer feeding faster than real time makes a long queue but no lag while the pool
     * keeps up; a pool that falls behind makes every chunk wait longer.
     */
    @Override
    public long lagMillis() {
        return lagNanos(System.nanoTime()) / 1_000_000;
    }

    private long lagNanos(long now) {
        long since = workingSince;
        if (since == 0) {
            Chunk head = queue.peek();
            if (head == null || head == FINISH || head == RESET) {
                return 0;
            }
            since = head.acceptedNanos();
        }
        return Math.max(0, now - since);
    }

    /** Audio accepted and not yet recognised, in milliseconds. */
    long queuedMillis() {
        return queuedSamples.get() * 1000 / spec.sampleRate();
    }

    @Override
    public void close() {
        terminate(State.CLOSED, "closed");
    }

    /** Sheds the stream: its next drain reports {@code Status(SHED, reason)} and frees it. */
    void shed(String reason) {
        terminate(State.SHED, reason);
    }

    boolean isOpen() {
        return !phase.get().state().terminal();
    }

    /** Seconds of worker time per second of audio so far; NaN before a second of audio was handled. */
    double rtf() {
        long samples = processedSamples;
        if (samples < spec.sampleRate()) {
            return Double.NaN;
        }
        return processingNanos / 1e9 / ((double) samples / spec.sampleRate());
    }

    boolean released() {
        return released;
    }

    /** Moves to a terminal state once; the first caller wins. Schedules the drain that delivers and frees. */
    private boolean terminate(State to, String reason) {
        while (true) {
            Phase p = phase.get();
            if (p.state().terminal()) {
                return false;
            }
            if (phase.compareAndSet(p, new Phase(to, reason))) {
                service.terminated(this, to == State.SHED, to == State.FAILED);
                schedule();
                return true;
            }
        }
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // Only after the service shut its pool down (or if the task queue, sized for every
            // stream, is somehow full). No recognition here: just fail and free, which is safe on
            // this thread because we hold the scheduled flag.
            terminate(State.FAILED, "service closed");
            releaseNow(phase.get());
            scheduled.set(false);
        }
    }

    /** Runs on a worker. */
    private void drain() {
        try {
            long budget = quantumSamples;
            while (true) {
                Phase p = phase.get();
                if (p.state().terminal() && p.state() != State.ENDED) {
                    releaseNow(p);
                    return;
                }
                if (released) {
                    return;
                }
                Chunk chunk = queue.poll();
                if (chunk == null) {
                    return;
                }
                if (chunk == FINISH) {
                    flush();
                    return;
                }
                if (chunk == RESET) {
                    if (!endUtterance()) {
                        return;
                    }
                    continue;
                }
                workingSince = chunk.acceptedNanos();
                boolean ok;
                try {
                    ok = recognise(chunk.pcm());
                } finally {
                    workingSince = 0;
                }
                if (!ok) {
                    return;
                }
                budget -= chunk.pcm().length;
                if (budget <= 0) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            log.warn("speech stream {} ({}): recognition failed: {}", id, spec.label(), e.toString());
            terminate(State.FAILED, "recognition error");
            releaseNow(phase.get());
        } finally {
            scheduled.set(false);
            if (!released && (!queue.isEmpty() || phase.get().state().terminal())) {
                schedule();
            }
        }
    }

    /** Feeds one chunk and reports what it produced; false if the stream failed. */
    private boolean recognise(short[] chunk) {
        if (decoder == null && !openDecoder()) {
            return false;
        }
        long started = System.nanoTime();
        // An empty chunk (PER_CHUNK mode: a client's empty frame still gets its reply) skips the recognizer.
        boolean endpoint = chunk.length > 0 && decoder.accept(chunk, chunk.length);
        String result = null;
        String partial = null;
        samplesSincePartial += chunk.length;
        if (endpoint) {
            result = decoder.result();
            samplesSincePartial = 0;
        } else if (spec.mode() == ResultMode.PER_CHUNK || queue.isEmpty()
                || samplesSincePartial >= partialEverySamples) {
            // With more audio already queued, a partial per chunk would be replaced before anyone
            // saw it: asking less often saves the recognizer's traceback work when behind.
            partial = decoder.partialResult();
            samplesSincePartial = 0;
        }
        processedSamples += chunk.length;
        queuedSamples.addAndGet(-chunk.length);
        if (result != null) {
            lastPartialJson = "";
            Final f = json.result(result, spec.words());
            if (spec.mode() == ResultMode.PER_CHUNK || !f.isEmpty()) {
                emit(f);
            }
        } else if (partial != null) {
            if (spec.mode() == ResultMode.PER_CHUNK) {
                emit(json.partial(partial));
            } else if (!partial.equals(lastPartialJson)) {
                lastPartialJson = partial;
                emit(json.partial(partial));
            }
        }
        // Admission plans with this: the recognizer and our work around it (reading its JSON, the
        // events), so capacity is not overestimated where the recognizer itself is cheap.
        processingNanos += System.nanoTime() - started;
        return true;
    }

    /** End of audio: the final result, then ENDED. */
    private void flush() {
        if (!endUtterance()) {
            return;
        }
        Phase p = phase.get();
        if (p.state() == State.FINISHING) {
            Phase ended = new Phase(State.ENDED, "finished");
            if (phase.compareAndSet(p, ended)) {
                service.terminated(this, false, false);
                deliver(new Status(StreamState.ENDED, "finished"));
                releaseNow(ended);
            }
        }
        // Otherwise it was closed or shed meanwhile; the drain loop's next turn reports that.
    }

    /**
     * Vosk's final result for the utterance in progress; the recognizer starts a new one with the
     * next audio. False if the stream failed.
     */
    private boolean endUtterance() {
        if (decoder == null && !openDecoder()) {
            return false;
        }
        long started = System.nanoTime();
        String result = decoder.finalResult();
        processingNanos += System.nanoTime() - started;
        lastPartialJson = "";
        samplesSincePartial = 0;
        Final f = json.result(result, spec.words());
        if (spec.mode() == ResultMode.PER_CHUNK || !f.isEmpty()) {
            emit(f);
        }
        return true;
    }

    private boolean openDecoder() {
        try {
            decoder = decoders.open(spec.language(), spec.sampleRate(), spec.recognizer());
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("speech stream {} ({}): cannot create a recognizer for '{}': {}", id, spec.label(),
                    spec.language(), e.toString());
            terminate(State.FAILED, "cannot create a recognizer");
            releaseNow(phase.get());
            return false;
        }
    }

    /** Frees the recognizer and the queue, then reports SHED/FAILED. Only the holder of the stream calls it. */
    private void releaseNow(Phase p) {
        if (released) {
            return;
        }
        released = true;
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        queue.clear();
        queuedSamples.set(0);
        service.released(this, rtf());
        if (p.state() == State.SHED) {
            deliver(new Status(StreamState.SHED, p.reason()));
        } else if (p.state() == State.FAILED) {
            deliver(new Status(StreamState.FAILED, p.reason()));
        }
    }

    /** Results go out only while the stream is live: after close or shed the caller wants no more. */
    private void emit(TranscriptEvent event) {
        State s = phase.get().state();
        if (s == State.OPEN || s == State.FINISHING) {
            deliver(event);
        }
    }

    private void deliver(TranscriptEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("speech stream {} ({}): listener threw {}", id, spec.label(), e.toString());
        }
    }
}
