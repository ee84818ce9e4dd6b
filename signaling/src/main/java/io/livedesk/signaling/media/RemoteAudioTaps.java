package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.api.SpeechTaps;
import io.livedesk.media.tap.AudioTapStats;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptListener;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Transcription of calls on remote LiveDesk bridge nodes: each leg's tap is opened on the bridge node holding the
 * call ({@code POST /livedesk/taps}, naming this node's speech nodes for the call's language), which streams the
 * audio to a speech node itself; the results are collected from each bridge with one {@code POST
 * /livedesk/tap-events} per {@code pollInterval}, cursor by cursor, and handed to the leg's listener as if a local
 * stream had produced them. A Jitsi Videobridge cannot tap: its legs are refused with that reason, at once once it
 * said so.
 *
 * <p>One named thread ({@code ld-bridge-taps}) makes every request, so {@link #open} and {@link TappedLeg#close}
 * never block a call's lock; listeners are called on it and must not block. A call that moves to another bridge
 * gets new legs (the negotiator reports the old ones down and the new ones up), so its taps follow it.
 */
public final class RemoteAudioTaps implements AudioTaps, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RemoteAudioTaps.class);
    static final String THREAD_NAME = "ld-bridge-taps";
    /** Attempts at opening a tap on a bridge that does not answer, one per round, before the leg fails. */
    static final int OPEN_ATTEMPTS = 5;

    private final BridgePool pool;
    private final Function<String, List<URI>> speechUrls;
    private final Duration closeWait;
    private final Set<RemoteLeg> legs = ConcurrentHashMap.newKeySet();
    /** Bridges that said they cannot tap (Jitsi Videobridges). */
    private final Set<String> cannotTap = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor poller;

    /**
     * @param speechUrls   the speech nodes for a language, in order of preference (empty: none)
     * @param pollInterval how often each bridge with taps is asked for their results
     * @param closeWait    how long a closed tap's last words are waited for
     */
    public RemoteAudioTaps(BridgePool pool, Function<String, List<URI>> speechUrls, Duration pollInterval,
                           Duration closeWait) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.speechUrls = Objects.requireNonNull(speechUrls, "speechUrls");
        this.closeWait = Objects.requireNonNull(closeWait, "closeWait");
        this.poller = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory(THREAD_NAME, true));
        poller.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long period = pollInterval.toNanos();
        poller.scheduleWithFixedDelay(this::roundSafely, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.empty();
    }

    @Override
    public TappedLeg open(MeetingId meetingId, String endpointId, StreamSpec spec, TranscriptListener listener)
            throws BridgeException, SpeechUnavailableException {
        Bridge bridge = pool.ownerBridge(meetingId).orElseThrow(
                () -> new BridgeException.NotFound("no media bridge holds conference " + meetingId));
        if (!(bridge instanceof SpeechTaps taps) || cannotTap.contains(bridge.id())) {
            throw new BridgeException.Unavailable(cannotTapReason(bridge.id()), null);
        }
        List<URI> urls = speechUrls.apply(spec.language());
        if (urls.isEmpty()) {
            throw new SpeechUnavailableException(SpeechUnavailableException.Reason.UNSUPPORTED,
                    "no speech node configured for language '" + spec.language() + "'");
        }
        List<URI> named = urls.subList(0, Math.min(urls.size(), SpeechTapRequest.MAX_SPEECH_URLS));
        SpeechTapRequest request;
        try {
            request = new SpeechTapRequest(meetingId, endpointId, spec.language(), spec.sampleRate(), named);
        } catch (IllegalArgumentException e) {
            throw new SpeechUnavailableException(SpeechUnavailableException.Reason.UNSUPPORTED, e.getMessage());
        }
        RemoteLeg leg = new RemoteLeg(bridge.id(), taps, request, listener);
        legs.add(leg);
        return leg;
    }

    private static String cannotTapReason(String bridgeId) {
        return "media bridge " + bridgeId + " cannot tap audio for transcription (a Jitsi Videobridge)";
    }

    @Override
    public int openTaps() {
        return legs.size();
    }

    @Override
    public AudioTapStats totals() {
        return AudioTapStats.ZERO;
    }

    private void roundSafely() {
        try {
            round(System.nanoTime());
        } catch (RuntimeException e) {
            // Never let one bad round cancel the periodic task.
            log.error("speech taps on remote bridges: a round failed", e);
        }
    }

    /** One round: opens, closes, then one events request per bridge with taps (the poll thread; tests call it). */
    void round(long now) {
        Map<SpeechTaps, Map<String, RemoteLeg>> open = new LinkedHashMap<>();
        for (RemoteLeg leg : legs) {
            if (leg.finished) {
                // Its last event came in the previous reply; this round's request acknowledges it, so that the
                // bridge forgets the tap at once, and then the leg is done.
                legs.remove(leg);
                open.computeIfAbsent(leg.taps, k -> new HashMap<>()).put(leg.tapId, leg);
                continue;
            }
            if (leg.tapId == null) {
                if (leg.closed) {
                    legs.remove(leg); // never opened: nothing to finish
                } else {
                    openOnBridge(leg);
                }
                continue;
            }
            if (leg.closed && leg.closeDeadline == 0) {
                leg.closeDeadline = now + closeWait.toNanos();
                try {
                    leg.taps.closeTap(leg.tapId);
                } catch (BridgeException e) {
                    log.debug("closing speech tap {} on {} failed: {}", leg.tapId, leg.bridgeId, e.toString());
                }
            }
            if (leg.closeDeadline != 0 && now - leg.closeDeadline > 0) {
                legs.remove(leg); // its last words did not come in time
                continue;
            }
            open.computeIfAbsent(leg.taps, k -> new HashMap<>()).put(leg.tapId, leg);
        }
        for (Map.Entry<SpeechTaps, Map<String, RemoteLeg>> e : open.entrySet()) {
            poll(e.getKey(), e.getValue());
        }
    }

    private void openOnBridge(RemoteLeg leg) {
        try {
            leg.tapId = leg.taps.openTap(leg.request);
            log.debug("speech tap {} on {} for {}@{}", leg.tapId, leg.bridgeId, leg.request.endpointId(),
                    leg.request.meetingId());
        } catch (BridgeException.BadRequest e) {
            if (e.getMessage() != null && e.getMessage().contains("cannot tap")) {
                cannotTap.add(leg.bridgeId);
                fail(leg, cannotTapReason(leg.bridgeId));
            } else {
                fail(leg, "the media bridge refused the tap: " + e.getMessage());
            }
        } catch (BridgeException.NotFound e) {
            fail(leg, "the participant is no longer on media bridge " + leg.bridgeId);
        } catch (BridgeException e) {
            if (++leg.openAttempts >= OPEN_ATTEMPTS) {
                fail(leg, "media bridge " + leg.bridgeId + " could not open the tap: " + e.getMessage());
            }
        }
    }

    private void poll(SpeechTaps taps, Map<String, RemoteLeg> byId) {
        Map<String, Long> cursors = new LinkedHashMap<>();
        byId.forEach((id, leg) -> cursors.put(id, leg.cursor));
        SpeechTapEvents events;
        try {
            events = taps.tapEvents(cursors);
        } catch (BridgeException e) {
            // The pool's health checks judge the bridge; its legs go down with it, or the next round gets the news.
            log.debug("speech tap events from a bridge failed: {}", e.toString());
            return;
        }
        for (SpeechTapEvents.Tap tap : events.taps()) {
            RemoteLeg leg = byId.get(tap.tapId());
            if (leg == null || leg.finished && leg.cursor == tap.next() || tap.next() < leg.cursor) {
                continue;
            }
            leg.lagMillis = tap.lagMillis();
            // Events before the cursor we sent were never asked for again, so every one here is new.
            for (TranscriptEvent event : tap.events()) {
                if (!leg.finished) {
                    deliver(leg, event);
                }
                leg.finished |= event instanceof TranscriptEvent.Status;
            }
            leg.cursor = tap.next();
            if (tap.gone() && legs.remove(leg) && !leg.closed && !leg.finished) {
                deliver(leg, new TranscriptEvent.Status(TranscriptEvent.StreamState.FAILED,
                        "the media bridge no longer has the tap"));
            }
        }
    }

    private void fail(RemoteLeg leg, String reason) {
        legs.remove(leg);
        if (!leg.closed) {
            deliver(leg, new TranscriptEvent.Status(TranscriptEvent.StreamState.FAILED, reason));
        }
    }

    private static void deliver(RemoteLeg leg, TranscriptEvent event) {
        try {
            leg.listener.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("a transcript listener failed", e);
        }
    }

    /** Stops collecting; taps left open on bridge nodes are closed there once nobody asks for them. */
    @Override
    public void close() {
        poller.shutdownNow();
        legs.clear();
    }

    /** A leg whose audio is transcribed on its bridge node. Fields other than {@code closed} are the poll thread's. */
    private static final class RemoteLeg implements TappedLeg {
        final String bridgeId;
        final SpeechTaps taps;
        final SpeechTapRequest request;
        final TranscriptListener listener;
        volatile String tapId;
        volatile boolean closed;
        volatile long lagMillis;
        long cursor;
        /** Its terminal status arrived: one more request acknowledges it. */
        boolean finished;
        long closeDeadline;
        int openAttempts;

        RemoteLeg(String bridgeId, SpeechTaps taps, SpeechTapRequest request, TranscriptListener listener) {
            this.bridgeId = bridgeId;
            this.taps = taps;
            this.request = request;
            this.listener = listener;
        }

        @Override
        public long lagMillis() {
            return lagMillis;
        }

        /** The bridge node sends finals in epoch seconds: it alone knew where its tap skipped silence. */
        @Override
        public long epochMillis(double eventSeconds) {
            return Math.round(eventSeconds * 1000);
        }

        @Override
        public long lastVoicedNanos() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
