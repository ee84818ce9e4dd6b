package io.livedesk.signaling.speech;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.tap.AudioSink;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.media.AudioTaps;
import io.livedesk.signaling.media.CallMeetings;
import io.livedesk.signaling.media.LegObserver;
import io.livedesk.signaling.transcript.CaptionStatus;
import io.livedesk.signaling.transcript.Speaker;
import io.livedesk.signaling.transcript.TranscriptLine;
import io.livedesk.signaling.transcript.TranscriptService;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Live transcription of bridged calls: each participant's leg on this node's in-process bridge gets an
 * audio tap (Opus decoded and resampled by the media module) feeding its own recognizer stream, in the
 * call's language; results go to the {@link TranscriptService} as captions and transcript lines labelled
 * with the speaker (from the endpoint id: {@code customer}, {@code staff-2}, {@code supervisor-1}).
 *
 * <p>Threads: legs come and go on the negotiator's thread (with the call's lock held), audio arrives on
 * the tap pool's threads and goes straight into the recognizer's queue, and recognizer events are handed
 * to {@code delivery} (one bounded, ordered thread) because delivering them reads the call record and
 * stores lines, which may wait on Redis.
 */
public final class CallTranscriber implements LegObserver {
    private static final Logger log = LoggerFactory.getLogger(CallTranscriber.class);

    private final SpeechService speech;
    private final TranscriptService transcripts;
    private final Function<CallId, Optional<CallRecord>> calls;
    /** Only the in-process bridge can be tapped; elsewhere every leg is reported unavailable. */
    private final AudioTaps taps;
    private final Executor delivery;
    private final Clock clock;
    private final int sampleRate;
    private final long laggingAfterMs;
    private final LongConsumer finalDelayNanos;
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();
    /** RMS above which a frame counts as voiced (about -36 dBFS), for the final-caption delay only. */
    private static final double VOICED_RMS = 500;

    /**
     * @param calls    the current record of a call (supervisors join and staff change during a call)
     * @param delivery        runs result delivery in submission order
     * @param finalDelayNanos told, for each final caption, how long after the speaker's last voiced audio
     *                        it was handed over
     */
    public CallTranscriber(SpeechService speech, TranscriptService transcripts,
                           Function<CallId, Optional<CallRecord>> calls, AudioTaps taps, Executor delivery,
                           Clock clock, int sampleRate, Duration laggingAfter, LongConsumer finalDelayNanos) {
        this.finalDelayNanos = finalDelayNanos;
        this.speech = speech;
        this.transcripts = transcripts;
        this.calls = calls;
        this.taps = taps;
        this.delivery = delivery;
        this.clock = clock;
        this.sampleRate = sampleRate;
        this.laggingAfterMs = laggingAfter.toMillis();
    }

    /** Legs being transcribed now (for tests and metrics). */
    public int activeLegs() {
        return legs.size();
    }

    @Override
    public void legUp(CallRecord call, Subject subject, String endpointId) {
        Speaker speaker = speakerOf(endpointId);
        String key = key(call.callId(), endpointId);
        Optional<String> untappable = taps.unavailable();
        if (untappable.isPresent()) {
            deliver(() -> transcripts.status(call, speaker, CaptionStatus.UNAVAILABLE, untappable.get()));
            return;
        }
        if (!speech.status().ready()) {
            deliver(() -> transcripts.status(call, speaker, CaptionStatus.UNAVAILABLE, speech.status().detail()));
            return;
        }
        Leg leg = new Leg(call.callId(), subject, endpointId, speaker);
        try {
            leg.stream = speech.open(StreamSpec.captions(call.language(), sampleRate, call.callId() + "/" + endpointId),
                    leg::onEvent);
        } catch (SpeechUnavailableException e) {
            log.info("call {}: no transcription for {}: {}", call.callId(), endpointId, e.getMessage());
            deliver(() -> transcripts.status(call, speaker, e.reason() == SpeechUnavailableException.Reason.OVERLOADED
                    ? CaptionStatus.SHED : CaptionStatus.UNAVAILABLE, e.getMessage()));
            return;
        }
        try {
            leg.tap = taps.open(CallMeetings.meetingOf(call.callId()), endpointId, sampleRate, leg);
        } catch (BridgeException e) {
            log.warn("call {}: tapping {} failed: {}", call.callId(), endpointId, e.toString());
            leg.stream.close();
            return;
        }
        Leg previous = legs.put(key, leg);
        if (previous != null) {
            previous.stop();
        }
        deliver(() -> transcripts.status(call, speaker, CaptionStatus.ACTIVE, null));
    }

    @Override
    public void legDown(CallId callId, String endpointId) {
        Leg leg = legs.remove(key(callId, endpointId));
        if (leg != null) {
            leg.stop();
        }
    }

    private static String key(CallId callId, String endpointId) {
        return callId + "/" + endpointId;
    }

    static boolean voiced(short[] pcm) {
        double sum = 0;
        for (short v : pcm) {
            sum += (double) v * v;
        }
        return pcm.length > 0 && Math.sqrt(sum / pcm.length) > VOICED_RMS;
    }

    static Speaker speakerOf(String endpointId) {
        if (endpointId.startsWith("customer")) {
            return Speaker.CUSTOMER;
        }
        return endpointId.startsWith("supervisor") ? Speaker.SUPERVISOR : Speaker.STAFF;
    }

    private void deliver(Runnable task) {
        try {
            delivery.execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("transcript delivery is full; a caption was dropped");
        }
    }

    /** One participant's audio on its way to the recognizer, and the recognizer's results on their way back. */
    private final class Leg implements AudioSink {
        final CallId callId;
        final Subject subject;
        final String endpointId;
        final Speaker speaker;
        volatile SpeechStream stream;
        volatile AutoCloseable tap;
        /** Maps recognizer time (samples fed) to the sender's media time, across gaps the tap skipped. */
        private final MediaClock mediaClock = new MediaClock();
        /** Audio gathered for the recognizer; only the tap's thread (one at a time per tap) touches it. */
        private final short[] batch = new short[sampleRate / 10];
        private int batched;
        private String lastPartial = "";
        private volatile long lastVoicedNanos;
        private boolean lagging;

        Leg(CallId callId, Subject subject, String endpointId, Speaker speaker) {
            this.callId = callId;
            this.subject = subject;
            this.endpointId = endpointId;
            this.speaker = speaker;
        }

        @Override
        public void onAudio(short[] pcm, long mediaTimeMs) {
            mediaClock.fed(pcm.length, sampleRate, mediaTimeMs, clock.millis());
            if (voiced(pcm)) {
                lastVoicedNanos = System.nanoTime();
            }
            // The tap delivers 20 ms frames; the recognizer costs less per sample fed in larger chunks
            // (docs/benchmarks.md), and 100 ms more before a caption is well inside its budget.
            int at = 0;
            while (at < pcm.length) {
                int n = Math.min(pcm.length - at, batch.length - batched);
                System.arraycopy(pcm, at, batch, batched, n);
                batched += n;
                at += n;
                if (batched == batch.length) {
                    flush();
                }
            }
        }

        private void flush() {
            SpeechStream s = stream;
            if (s != null && batched > 0) {
                s.accept(batch, 0, batched);
            }
            batched = 0;
        }

        /** The tap ended (the endpoint expired or the call ended): the last words are flushed. */
        @Override
        public void onClose() {
            flush();
            SpeechStream s = stream;
            if (s != null) {
                s.finish();
            }
        }

        void stop() {
            try {
                AutoCloseable t = tap;
                if (t != null) {
                    t.close(); // its onClose finishes the stream
                }
            } catch (Exception e) {
                log.debug("closing the tap of {} failed: {}", endpointId, e.toString());
            }
        }

        /** On a speech thread: hand over at once. */
        void onEvent(TranscriptEvent event) {
            deliver(() -> handle(event));
        }

        private void handle(TranscriptEvent event) {
            Optional<CallRecord> call = calls.apply(callId);
            if (call.isEmpty()) {
                return;
            }
            CallRecord record = call.get();
            if (event instanceof TranscriptEvent.Partial p) {
                checkLag(record);
                if (!p.text().isEmpty() && !p.text().equals(lastPartial) && record.state().live()) {
                    lastPartial = p.text();
                    transcripts.partial(record, speaker, subject, p.text());
                }
            } else if (event instanceof TranscriptEvent.Final f) {
                lastPartial = "";
                if (!f.isEmpty()) {
                    storeFinal(record, f);
                }
            } else if (event instanceof TranscriptEvent.Status st) {
                if (st.state() == TranscriptEvent.StreamState.SHED) {
                    transcripts.status(record, speaker, CaptionStatus.SHED, st.reason());
                } else if (st.state() == TranscriptEvent.StreamState.FAILED) {
                    transcripts.status(record, speaker, CaptionStatus.UNAVAILABLE, st.reason());
                }
                legs.remove(key(callId, endpointId), this);
            }
        }

        /** Recognizer times (seconds of audio fed) become wall-clock times of when it was said. */
        private void storeFinal(CallRecord record, TranscriptEvent.Final f) {
            long startedAt = mediaClock.epochMillis(f.start());
            long endedAt = Math.max(startedAt, mediaClock.epochMillis(f.end()));
            List<TranscriptLine.Word> words = new ArrayList<>(f.words().size());
            for (var w : f.words()) {
                long start = Math.max(0, mediaClock.epochMillis(w.start()) - startedAt);
                long end = Math.max(start, mediaClock.epochMillis(w.end()) - startedAt);
                words.add(new TranscriptLine.Word(w.word(), start, end, w.conf()));
            }
            transcripts.finalResult(record, speaker, subject, startedAt, endedAt, f.text(), words);
            long voicedAt = lastVoicedNanos;
            if (voicedAt != 0) {
                finalDelayNanos.accept(System.nanoTime() - voicedAt);
            }
        }

        private void checkLag(CallRecord record) {
            SpeechStream s = stream;
            boolean behind = s != null && s.lagMillis() > laggingAfterMs;
            if (behind != lagging && record.state().live()) {
                lagging = behind;
                transcripts.status(record, speaker, behind ? CaptionStatus.LAGGING : CaptionStatus.ACTIVE, null);
            }
        }
    }
}
