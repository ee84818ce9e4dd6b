package io.livedesk.signaling.speech;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.media.AudioTaps;
import io.livedesk.signaling.media.CallMeetings;
import io.livedesk.signaling.media.LegObserver;
import io.livedesk.signaling.media.TappedLeg;
import io.livedesk.signaling.transcript.CaptionStatus;
import io.livedesk.signaling.transcript.Speaker;
import io.livedesk.signaling.transcript.TranscriptLine;
import io.livedesk.signaling.transcript.TranscriptService;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Live transcription of bridged calls: each participant's leg gets a {@link TappedLeg} from the
 * {@link AudioTaps}, in the call's language: on the in-process bridge an audio tap (Opus decoded and resampled by
 * the media module) feeding a recognizer stream of this node, on a remote bridge node a tap there that streams to
 * the speech nodes itself. Results go to the {@link TranscriptService} as captions and transcript lines labelled
 * with the speaker (from the endpoint id: {@code customer}, {@code staff-2}, {@code supervisor-1}).
 *
 * <p>Threads: legs come and go on the negotiator's thread (with the call's lock held; opening a tap never
 * blocks), and recognizer events (from speech threads, or the remote taps' poll thread) are handed to
 * {@code delivery} (one bounded, ordered thread) because delivering them reads the call record and stores lines,
 * which may wait on Redis.
 */
public final class CallTranscriber implements LegObserver {
    private static final Logger log = LoggerFactory.getLogger(CallTranscriber.class);

    private final SpeechService speech;
    private final TranscriptService transcripts;
    private final Function<CallId, Optional<CallRecord>> calls;
    /** The in-process bridge's taps, remote bridge nodes', or none (every leg reported unavailable). */
    private final AudioTaps taps;
    private final Executor delivery;
    private final int sampleRate;
    private final long laggingAfterMs;
    private final LongConsumer finalDelayNanos;
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();

    /**
     * @param calls    the current record of a call (supervisors join and staff change during a call)
     * @param delivery        runs result delivery in submission order
     * @param finalDelayNanos told, for each final caption, how long after the speaker's last voiced audio
     *                        it was handed over
     */
    public CallTranscriber(SpeechService speech, TranscriptService transcripts,
                           Function<CallId, Optional<CallRecord>> calls, AudioTaps taps, Executor delivery,
                           int sampleRate, Duration laggingAfter, LongConsumer finalDelayNanos) {
        this.finalDelayNanos = finalDelayNanos;
        this.speech = speech;
        this.transcripts = transcripts;
        this.calls = calls;
        this.taps = taps;
        this.delivery = delivery;
        this.sampleRate = sampleRate;
        this.laggingAfterMs = laggingAfter.toMillis();
    }

    /** Legs being transcribed now (for tests and metrics). */
    public int activeLegs() {
        return legs.size();
    }

    @Override
    public void legUp(CallRecord call, Subject subject, String endpointId) {
        legUp(call, subject, endpointId, CallMeetings.meetingOf(call.callId()));
    }

    /** Taps the endpoint on the conference it is on (a call in two regions has one on each region's bridge). */
    @Override
    public void legUp(CallRecord call, Subject subject, String endpointId, MeetingId conference) {
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
            leg.tap = taps.open(conference, endpointId,
                    StreamSpec.captions(call.language(), sampleRate, call.callId() + "/" + endpointId), leg::onEvent);
        } catch (SpeechUnavailableException e) {
            log.info("call {}: no transcription for {}: {}", call.callId(), endpointId, e.getMessage());
            deliver(() -> transcripts.status(call, speaker, e.reason() == SpeechUnavailableException.Reason.OVERLOADED
                    ? CaptionStatus.SHED : CaptionStatus.UNAVAILABLE, e.getMessage()));
            return;
        } catch (BridgeException e) {
            log.warn("call {}: tapping {} failed: {}", call.callId(), endpointId, e.getMessage());
            deliver(() -> transcripts.status(call, speaker, CaptionStatus.UNAVAILABLE, e.getMessage()));
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

    /** One participant's recognizer results on their way to the staff side. */
    private final class Leg {
        final CallId callId;
        final Subject subject;
        final String endpointId;
        final Speaker speaker;
        volatile TappedLeg tap;
        private String lastPartial = "";
        private boolean lagging;

        Leg(CallId callId, Subject subject, String endpointId, Speaker speaker) {
            this.callId = callId;
            this.subject = subject;
            this.endpointId = endpointId;
            this.speaker = speaker;
        }

        /** The tap ends: the last words are flushed, then the stream's end comes as an event. */
        void stop() {
            TappedLeg t = tap;
            if (t != null) {
                t.close();
            }
        }

        /** On a speech or poll thread: hand over at once. */
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
            TappedLeg t = tap;
            if (t == null) {
                return; // cannot be: events come after open returned; without it the times are unknown
            }
            long startedAt = t.epochMillis(f.start());
            long endedAt = Math.max(startedAt, t.epochMillis(f.end()));
            List<TranscriptLine.Word> words = new ArrayList<>(f.words().size());
            for (var w : f.words()) {
                long start = Math.max(0, t.epochMillis(w.start()) - startedAt);
                long end = Math.max(start, t.epochMillis(w.end()) - startedAt);
                words.add(new TranscriptLine.Word(w.word(), start, end, w.conf()));
            }
            transcripts.finalResult(record, speaker, subject, startedAt, endedAt, f.text(), words);
            long voicedAt = t.lastVoicedNanos();
            if (voicedAt != 0) {
                finalDelayNanos.accept(System.nanoTime() - voicedAt);
            }
        }

        private void checkLag(CallRecord record) {
            TappedLeg t = tap;
            boolean behind = t != null && t.lagMillis() > laggingAfterMs;
            if (behind != lagging && record.state().live()) {
                lagging = behind;
                transcripts.status(record, speaker, behind ? CaptionStatus.LAGGING : CaptionStatus.ACTIVE, null);
            }
        }
    }
}
