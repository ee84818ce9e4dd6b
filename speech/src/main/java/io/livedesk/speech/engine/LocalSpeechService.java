package io.livedesk.speech.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.SpeechUnavailableException.Reason;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recognition in this process: Vosk recognizers, one per stream, on a fixed pool of worker threads
 * ({@code ld-speech-N}, one per core by default). Callers only copy audio into a stream's queue, so
 * a Netty event loop or a media thread is never held up by recognition.
 *
 * <h2>Overload</h2>
 * A stream's <em>lag</em> is how long its oldest audio not yet recognised has been waiting: the
 * delay the pool adds to it. Three rules keep the streams that are already running in real time:
 * <ol>
 *   <li><b>Admission.</b> {@link #open} refuses a stream ({@link Reason#OVERLOADED}) when
 *       {@code max-streams} are open, or when the open streams' measured real-time demand (the sum
 *       of their real-time factors, see {@link AdmissionControl}) plus the expected demand of the
 *       new one would exceed {@code workers x target-load}; a service with no stream open admits
 *       one whatever its estimates, so it always re-measures. {@link #refusal} asks the same check
 *       without opening, for readiness.</li>
 *   <li><b>Shedding, newest first.</b> When a stream's lag passes {@code queue-limit}, the pool is
 *       not keeping up, and the service sheds the <em>newest</em> stream that is lagging (by more
 *       than half the queue limit): the stream that passed the limit, or a newer one. Then the pool
 *       gets time to recover: another stream is shed only after 250 ms, and within the next queue
 *       limit only if the lag is still growing. So shedding goes on, newest first, until the rest
 *       fit (their backlog then drains and lag falls), without shedding everyone at once while a
 *       backlog drains; a stream that is not behind is never shed.</li>
 *   <li><b>Memory bound.</b> A stream holding more than {@value LocalStream#HARD_LIMIT_FACTOR} x
 *       {@code queue-limit} of audio is shed by itself: its producer runs far ahead of real time
 *       (clients that send files should wait for replies, as vosk-server clients do).</li>
 * </ol>
 * A shed stream gets {@code Status(SHED, "overloaded")}, drops its audio and frees its recognizer.
 * Workers serve streams round-robin in slices of {@value LocalStream#QUANTUM_MILLIS} ms of audio,
 * so no stream starves, and while an overload lasts every stream lags by at most about the queue
 * limit before the newest ones are shed. Lag is exposed per stream and as the maximum in {@link
 * #status()}.
 *
 * <p>With no model configured the service is disabled: {@link #status()} says so and {@link #open}
 * refuses with {@link Reason#DISABLED}.
 *
 * <p>Streams, the pool and (through the {@link DecoderFactory}) the models are freed by {@link #close()}.
 */
public final class LocalSpeechService implements SpeechService {
    private static final Logger log = LoggerFactory.getLogger(LocalSpeechService.class);
    static final String DISABLED_DETAIL = "no speech models configured";

    private final DecoderFactory decoders;
    private final EngineSettings settings;
    private final ThreadPoolExecutor pool;
    private final AdmissionControl admission;
    private final VoskJson json = new VoskJson();
    /** Open streams by admission order: the newest last, for shedding. */
    private final ConcurrentSkipListMap<Long, LocalStream> streams = new ConcurrentSkipListMap<>();
    private final AtomicLong nextSeq = new AtomicLong(1);
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Streams whose recognizer is not yet freed (open ones and ones a worker has yet to release). */
    private final AtomicLong unreleased = new AtomicLong();
    private volatile boolean closed;
    /** When the last stream was shed for lag, and the lag that triggered it (guarded by this). */
    private long lastShedNanos;
    private long lagAtLastShed;
    /** After a shed, the time the pool gets before its lag is judged again. */
    static final long SHED_SETTLE_NANOS = 250_000_000L;
    /** Lag must grow by more than this (about a drain slice) to count as still growing. */
    static final long SHED_GROWTH_MILLIS = 100;

    /**
     * @param decoders the models; the service owns them from now on and closes them in {@link #close()}
     */
    public LocalSpeechService(DecoderFactory decoders, EngineSettings settings) {
        this.decoders = Objects.requireNonNull(decoders, "decoders");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.admission = new AdmissionControl(settings.maxStreams(), settings.workers(), settings.targetLoad());
        // At most one task per stream is ever queued (a stream re-queues itself only when its drain
        // ends), so maxStreams bounds the queue; the slack covers streams still draining after close.
        this.pool = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(settings.maxStreams() * 2 + settings.workers()),
                new NamedThreads("ld-speech"));
        if (disabled()) {
            log.info("speech disabled: {}", DISABLED_DETAIL);
        } else {
            log.info("speech: local engine, languages {}, {} workers, max {} streams, queue limit {} ms",
                    decoders.languages(), settings.workers(), settings.maxStreams(), settings.queueLimit().toMillis());
        }
    }

    /** No model configured: the node runs, and says that it transcribes nothing. */
    public boolean disabled() {
        return decoders.languages().isEmpty();
    }

    /** Loads the configured models (failing with the folder's name) and starts the engine. */
    public static LocalSpeechService start(java.nio.file.Path modelsDir, Map<String, String> models,
                                           EngineSettings settings) {
        return new LocalSpeechService(SpeechModels.load(modelsDir, models), settings);
    }

    @Override
    public SpeechStream open(StreamSpec spec, TranscriptListener listener) throws SpeechUnavailableException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        SpeechUnavailableException unservable = unservable(spec.language());
        if (unservable != null) {
            rejected.incrementAndGet();
            throw unservable;
        }
        int minRate = decoders.minSampleRate(spec.language());
        if (spec.sampleRate() < minRate) {
            throw reject(Reason.UNSUPPORTED, "sample rate " + spec.sampleRate() + " Hz is below the '"
                    + spec.language() + "' model's " + minRate + " Hz (Vosk does not upsample for it)");
        }
        LocalStream stream;
        synchronized (this) {
            if (closed) {
                throw reject(Reason.CLOSED, "speech service is closed");
            }
            String refusal = admissionRefusal(spec.language());
            if (refusal != null) {
                log.info("speech: refused a '{}' stream ({}): {}", spec.language(), spec.label(), refusal);
                throw reject(Reason.OVERLOADED, refusal);
            }
            long seq = nextSeq.getAndIncrement();
            stream = new LocalStream(this, decoders, pool, seq, spec, listener, json,
                    settings.queueLimit().toMillis());
            streams.put(seq, stream);
            unreleased.incrementAndGet();
        }
        opened.incrementAndGet();
        log.debug("speech stream {} opened ({}, {}, {} Hz)", stream.id(), spec.label(), spec.language(),
                spec.sampleRate());
        return stream;
    }

    /** Why a stream of this language cannot be served at all, whatever the load; null if it can. */
    private SpeechUnavailableException unservable(String language) {
        if (closed) {
            return new SpeechUnavailableException(Reason.CLOSED, "speech service is closed");
        }
        if (disabled()) {
            return new SpeechUnavailableException(Reason.DISABLED, DISABLED_DETAIL);
        }
        if (!decoders.languages().contains(language)) {
            return new SpeechUnavailableException(Reason.UNSUPPORTED, "no speech model for language '" + language
                    + "' (have " + String.join(", ", decoders.languages()) + ")");
        }
        return null;
    }

    /**
     * Why a new stream of this language (at a rate its model takes) would be refused right now, or
     * empty if it would be admitted: the very checks {@link #open} makes, so readiness can match
     * admission. Counts nothing as rejected.
     */
    public synchronized Optional<String> refusal(String language) {
        SpeechUnavailableException e = unservable(language);
        return Optional.ofNullable(e != null ? e.getMessage() : admissionRefusal(language));
    }

    /** Null to admit; the caller holds the lock. */
    private String admissionRefusal(String language) {
        return admission.refusal(streams.size(), demand(), estimate(language));
    }

    @Override
    public Optional<String> languageOfModel(String name) {
        for (String language : decoders.languages()) {
            if (language.equals(name) || decoders.modelNames(language).contains(name)) {
                return Optional.of(language);
            }
        }
        return Optional.empty();
    }

    private SpeechUnavailableException reject(Reason reason, String message) {
        rejected.incrementAndGet();
        return new SpeechUnavailableException(reason, message);
    }

    /** Real-time demand of the open streams, in workers. */
    private double demand() {
        double sum = 0;
        for (LocalStream s : streams.values()) {
            double rtf = s.rtf();
            sum += Double.isNaN(rtf) ? estimate(s.spec.language()) : rtf;
        }
        return sum;
    }

    /** Expected real-time factor of a new stream (see {@link AdmissionControl}). */
    private double estimate(String language) {
        List<Double> measured = new ArrayList<>();
        for (LocalStream s : streams.values()) {
            double rtf = s.rtf();
            if (!Double.isNaN(rtf) && s.spec.language().equals(language)) {
                measured.add(rtf);
            }
        }
        return admission.estimate(language, measured);
    }

    /** A stream's lag went past the queue limit: shed the newest lagging stream (see the class comment). */
    void lagging(LocalStream overflowing) {
        long limit = settings.queueLimit().toMillis();
        long now = System.nanoTime();
        long lag = overflowing.lagMillis();
        LocalStream victim = null;
        synchronized (this) {
            if (lastShedNanos != 0) {
                long since = now - lastShedNanos;
                // Give the last shed time to show, then shed again only if lag still grows: once
                // the rest fit, their backlog drains (lag falls) and nobody else need go.
                if (since < SHED_SETTLE_NANOS
                        || (since < settings.queueLimit().toNanos() && lag <= lagAtLastShed + SHED_GROWTH_MILLIS)) {
                    return;
                }
            }
            for (LocalStream s : streams.descendingMap().values()) {
                if (s.isOpen() && (s == overflowing || s.lagMillis() >= limit / 2)) {
                    victim = s;
                    break;
                }
            }
            if (victim != null) {
                lastShedNanos = now;
                lagAtLastShed = lag;
            }
        }
        if (victim != null) {
            log.warn("speech stream {} ({}) shed: overloaded (stream {} is {} ms behind, limit {} ms)",
                    victim.id(), victim.spec.label(), overflowing.id(), overflowing.lagMillis(),
                    settings.queueLimit().toMillis());
            victim.shed("overloaded");
        }
    }

    /** A stream holds far more audio than its queue limit: it alone is shed, whatever the load. */
    void overfilled(LocalStream stream, long queuedMillis) {
        log.warn("speech stream {} ({}) shed: {} ms of audio waiting, more than {} x the queue limit", stream.id(),
                stream.spec.label(), queuedMillis, LocalStream.HARD_LIMIT_FACTOR);
        stream.shed("overloaded");
    }

    /** A stream reached its end state: it no longer counts as open. */
    void terminated(LocalStream stream, boolean wasShed, boolean wasFailed) {
        streams.remove(stream.seq, stream);
        if (wasShed) {
            shed.incrementAndGet();
        }
        if (wasFailed) {
            failed.incrementAndGet();
        }
    }

    /** A stream's recognizer was freed; its measured speed informs admission. */
    void released(LocalStream stream, double rtf) {
        unreleased.decrementAndGet();
        if (!Double.isNaN(rtf)) {
            synchronized (this) {
                admission.observe(stream.spec.language(), rtf);
            }
        }
    }

    @Override
    public SpeechStatus status() {
        if (closed) {
            return SpeechStatus.of(SpeechStatus.State.CLOSED, "speech service closed");
        }
        if (disabled()) {
            return SpeechStatus.of(SpeechStatus.State.DISABLED, DISABLED_DETAIL);
        }
        long maxLag = 0;
        List<LocalStream> open = new ArrayList<>(streams.values());
        for (LocalStream s : open) {
            maxLag = Math.max(maxLag, s.lagMillis());
        }
        double load;
        synchronized (this) {
            load = demand() / admission.capacity();
        }
        return new SpeechStatus(SpeechStatus.State.READY, "local Vosk engine", decoders.languages(), open.size(),
                settings.workers(), load, maxLag, opened.get(), rejected.get(), shed.get(), failed.get());
    }

    /** Streams whose native recognizer has not been freed yet (for tests and leak checks). */
    public long unreleasedStreams() {
        return unreleased.get();
    }

    public EngineSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (LocalStream s : new ArrayList<>(streams.values())) {
            s.close();
        }
        // Workers finish the chunk they are on and free the recognizers of the closed streams.
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("speech: workers did not stop within {} ms", settings.closeTimeout().toMillis());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
        // Safe even if a worker is stuck: libvosk keeps a model alive while a recognizer uses it.
        decoders.close();
        log.info("speech: local engine closed ({} streams opened, {} shed, {} failed)", opened.get(), shed.get(),
                failed.get());
    }
}
