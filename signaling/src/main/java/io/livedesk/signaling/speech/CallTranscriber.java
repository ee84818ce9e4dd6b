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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>A leg whose transcription could not start, failed (its speech nodes or bridge gone) or was shed is tried
 * again every {@code retryAfter} for as long as it is up: the staff member's captions come back by themselves when
 * the speech tier does. The staff side is told once when it stops and once when it is back.
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
    /** Legs that are up but not transcribed (refused, failed, shed), by key: tried again. */
    private final Map<String, Retry> retrying = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries;
    private final Duration retryAfter;

    /** A leg to tap: its call, participant, endpoint and the conference that endpoint is on. */
    private record Retry(CallId callId, Subject subject, String endpointId, MeetingId conference) {
    }

    /**
     * @param calls    the current record of a call (supervisors join and staff change during a call)
     * @param delivery        runs result delivery in submission order
     * @param finalDelayNanos told, for each final caption, how long after the speaker's last voiced audio
     *                        it was handed over
     * @param retries         runs the retries of legs not transcribed (a timer; the retry itself only opens a tap)
     * @param retryAfter      how long after such a leg is tried again
     */
    public CallTranscriber(SpeechService speech, TranscriptService transcripts,
                           Function<CallId, Optional<CallRecord>> calls, AudioTaps taps, Executor delivery,
                           int sampleRate, Duration laggingAfter, LongConsumer finalDelayNanos,
                           ScheduledExecutorService retries, Duration retryAfter) {
        this.retries = retries;
        this.retryAfter = retryAfter;
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
        String key = key(call.callId(), endpointId);
        retrying.remove(key);
        open(call, new Retry(call.callId(), subject, endpointId, conference), true);
    }

    /**
     * Opens the leg's tap; when it cannot, the staff side is told why ({@code tell}: not again on a retry) and the
     * leg is tried again later.
     */
    private void open(CallRecord call, Retry leg, boolean tell) {
        Speaker speaker = speakerOf(leg.endpointId());
        String key = key(call.callId(), leg.endpointId());
        Optional<String> untappable = taps.unavailable();
        if (untappable.isPresent()) {
            // The in-process bridge cannot tap in this deployment: nothing will change during the call.
            deliver(() -> transcripts.status(call, speaker, CaptionStatus.UNAVAILABLE, untappable.get()));
            return;
        }
        CaptionStatus refused = null;
        String why = null;
        Leg opened = new Leg(leg, speaker);
        if (!speech.status().ready()) {
            refused = CaptionStatus.UNAVAILABLE;
            why = speech.status().detail();
        } else {
            try {
                opened.tap = taps.open(leg.conference(), leg.endpointId(),
                        StreamSpec.captions(call.language(), sampleRate, call.callId() + "/" + leg.endpointId()),
                        opened::onEvent);
            } catch (SpeechUnavailableException e) {
                log.info("call {}: no transcription for {}: {}", call.callId(), leg.endpointId(), e.getMessage());
                refused = e.reason() == SpeechUnavailableException.Reason.OVERLOADED
                        ? CaptionStatus.SHED : CaptionStatus.UNAVAILABLE;
                why = e.getMessage();
            } catch (BridgeException e) {
                log.warn("call {}: tapping {} failed: {}", call.callId(), leg.endpointId(), e.getMessage());
                refused = CaptionStatus.UNAVAILABLE;
                why = e.getMessage();
            }
        }
        if (refused != null) {
            if (tell) {
                CaptionStatus status = refused;
                String reason = why;
                deliver(() -> transcripts.status(call, speaker, status, reason));
            }
            retryLater(key, leg);
            return;
        }
        Leg previous = legs.put(key, opened);
        if (previous != null) {
            previous.stop();
        }
        deliver(() -> transcripts.status(call, speaker, CaptionStatus.ACTIVE, null));
    }

    /** Tries the leg again after {@code retryAfter}, unless it went down or got a tap meanwhile. */
    private void retryLater(String key, Retry leg) {
        retrying.put(key, leg);
        try {
            retries.schedule(() -> {
                if (!retrying.remove(key, leg) || legs.containsKey(key)) {
                    return;
                }
                Optional<CallRecord> call = calls.apply(leg.callId());
                if (call.isPresent() && call.get().state().live()) {
                    log.debug("call {}: trying transcription for {} again", leg.callId(), leg.endpointId());
                    open(call.get(), leg, false);
                }
            }, retryAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            retrying.remove(key, leg); // stopping
        }
    }

    @Override
    public void legDown(CallId callId, String endpointId) {
        String key = key(callId, endpointId);
        retrying.remove(key);
        Leg leg = legs.remove(key);
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
        /** Who and where: what a retry opens again when this leg's stream fails. */
        final Retry origin;
        final CallId callId;
        final String endpointId;
        final Speaker speaker;
        volatile TappedLeg tap;
        private String lastPartial = "";
        private boolean lagging;

        Leg(Retry origin, Speaker speaker) {
            this.origin = origin;
            this.callId = origin.callId();
            this.endpointId = origin.endpointId();
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
                    transcripts.partial(record, speaker, origin.subject(), p.text());
                }
            } else if (event instanceof TranscriptEvent.Final f) {
                lastPartial = "";
                if (!f.isEmpty()) {
                    storeFinal(record, f);
                }
            } else if (event instanceof TranscriptEvent.Status st) {
                boolean current = legs.remove(key(callId, endpointId), this);
                if (st.state() == TranscriptEvent.StreamState.SHED) {
                    transcripts.status(record, speaker, CaptionStatus.SHED, st.reason());
                } else if (st.state() == TranscriptEvent.StreamState.FAILED) {
                    transcripts.status(record, speaker, CaptionStatus.UNAVAILABLE, st.reason());
                }
                if (current && st.state() != TranscriptEvent.StreamState.ENDED && record.state().live()) {
                    retryLater(key(callId, endpointId), origin);
                }
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
            transcripts.finalResult(record, speaker, origin.subject(), startedAt, endedAt, f.text(), words);
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
