package io.livedesk.media.speechtap;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.api.SpeechTaps;
import io.livedesk.media.tap.AudioSink;
import io.livedesk.media.tap.AudioTap;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.Word;
import io.livedesk.speech.client.RemoteSettings;
import io.livedesk.speech.client.RemoteSpeechService;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bridge node's speech taps ({@link SpeechTaps}): each decodes one endpoint's audio with the bridge's audio tap
 * and streams it, through a {@link RemoteSpeechService} for the speech nodes the request named, straight to a speech
 * node; the node's results wait in the tap's {@link TapEventLog} until signaling collects them. Final results leave
 * with their times turned into epoch seconds (the {@link StreamFeed}'s media clock), since only this side knows
 * where the tap skipped silence.
 *
 * <p>A tap ends when signaling closes it (the last words still come), with its endpoint or conference, when its
 * speech stream fails, or when nobody has asked for its events for {@code abandonAfter} (the signaling node is
 * gone). Ended taps are forgotten once their last event was collected, or {@code keepEnded} after they ended.
 * One named thread ({@code ld-speech-taps}) sweeps them every second. Transcript text is never logged.
 */
public final class SpeechTapRelay implements SpeechTaps, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpeechTapRelay.class);
    private static final long SWEEP_MILLIS = 1000;

    /** Where taps get audio: {@code LocalBridge::tapAudio}. */
    @FunctionalInterface
    public interface AudioTapper {
        AudioTap tapAudio(MeetingId meetingId, String endpointId, int sampleRate, AudioSink sink) throws BridgeException;
    }

    /**
     * @param maxTaps            taps open at once
     * @param maxEventsPerTap    events one tap keeps for signaling before new ones are dropped
     * @param maxEventsPerReply  events one events reply carries, all taps together
     * @param abandonAfter       a tap nobody asked about for this long is closed (its signaling node is gone)
     * @param keepEnded          an ended tap's last events are kept at most this long for signaling to collect
     * @param maxSpeechClients   different speech node lists in use at once (about one per language)
     * @param speechConnectTimeout a speech node's WebSocket handshake must finish within this
     * @param speechReplyTimeout audio sent and no reply for this long: the speech node counts as failed and the
     *                           stream moves to the next
     * @param speechHealthInterval how often a failed speech node is tried again
     */
    public record Settings(int maxTaps, int maxEventsPerTap, int maxEventsPerReply, Duration abandonAfter,
                           Duration keepEnded, int maxSpeechClients, Duration speechConnectTimeout,
                           Duration speechReplyTimeout, Duration speechHealthInterval) {
        public Settings {
            if (maxTaps < 1 || maxEventsPerTap < 1 || maxEventsPerReply < 1 || maxSpeechClients < 1) {
                throw new IllegalArgumentException("speech tap limits must be positive");
            }
            for (Duration d : List.of(abandonAfter, keepEnded, speechConnectTimeout, speechReplyTimeout,
                    speechHealthInterval)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("speech tap durations must be positive: " + d);
                }
            }
        }

        /** 200 taps, 500 events each, 1000 a reply, abandoned after 30 s, kept 30 s, 8 lists, 5 s / 10 s / 5 s. */
        public static Settings defaults() {
            return new Settings(200, 500, 1000, Duration.ofSeconds(30), Duration.ofSeconds(30), 8,
                    Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }

        public Settings withSpeechTimeouts(Duration connect, Duration reply) {
            return new Settings(maxTaps, maxEventsPerTap, maxEventsPerReply, abandonAfter, keepEnded, maxSpeechClients,
                    connect, reply, speechHealthInterval);
        }

        public Settings withAbandonAfter(Duration d) {
            return new Settings(maxTaps, maxEventsPerTap, maxEventsPerReply, d, keepEnded, maxSpeechClients,
                    speechConnectTimeout, speechReplyTimeout, speechHealthInterval);
        }

        public Settings withMaxTaps(int n) {
            return new Settings(n, maxEventsPerTap, maxEventsPerReply, abandonAfter, keepEnded, maxSpeechClients,
                    speechConnectTimeout, speechReplyTimeout, speechHealthInterval);
        }
    }

    private final AudioTapper bridge;
    private final Settings settings;
    private final Clock clock;
    private final SpeechClients clients;
    private final Map<String, Tap> taps = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final ScheduledThreadPoolExecutor sweeper;
    private volatile boolean closed;

    /** With speech clients over the vosk-server protocol ({@link RemoteSpeechService}). */
    public SpeechTapRelay(AudioTapper bridge, Settings settings, Clock clock) {
        this(bridge, settings, clock, urls -> new RemoteSpeechService(remoteSettings(urls, settings)));
    }

    /** @param speechClients a speech service for a list of speech node URLs (tests pass their own) */
    public SpeechTapRelay(AudioTapper bridge, Settings settings, Clock clock,
                          Function<List<URI>, SpeechService> speechClients) {
        this.bridge = Objects.requireNonNull(bridge, "bridge");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clients = new SpeechClients(settings.maxSpeechClients(), speechClients);
        this.sweeper = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("ld-speech-taps", true));
        sweeper.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        sweeper.scheduleWithFixedDelay(this::sweepSafely, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    static RemoteSettings remoteSettings(List<URI> urls, Settings s) {
        List<String> nodes = urls.stream().map(URI::toString).toList();
        RemoteSettings d = RemoteSettings.of(nodes);
        // Two client threads per node list: they only send batches and hand results over.
        return new RemoteSettings(nodes, Map.of(), s.speechConnectTimeout(), s.speechReplyTimeout(), d.sendBatch(), 2,
                s.maxTaps(), d.queueLimit(), s.speechHealthInterval());
    }

    @Override
    public String openTap(SpeechTapRequest request) throws BridgeException {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new BridgeException.Unavailable("speech taps are closed", null);
        }
        if (taps.size() >= settings.maxTaps()) {
            throw new BridgeException.Unavailable("too many speech taps (at most " + settings.maxTaps() + ")", null);
        }
        SpeechService speech = clients.forUrls(request.speechUrls());
        String id = "t" + ids.incrementAndGet() + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()) & 0xffffffffL);
        Tap tap = new Tap(id, request.endpointId() + "@" + request.meetingId());
        SpeechStream stream;
        try {
            stream = speech.open(StreamSpec.captions(request.language(), request.sampleRate(), id), tap);
        } catch (SpeechUnavailableException e) {
            throw switch (e.reason()) {
                case UNSUPPORTED -> new BridgeException.BadRequest("speech: " + e.getMessage());
                default -> new BridgeException.Unavailable("speech: " + e.getMessage(), e);
            };
        }
        tap.feed = new StreamFeed(stream, request.sampleRate(), clock);
        try {
            tap.audio = bridge.tapAudio(request.meetingId(), request.endpointId(), request.sampleRate(), tap.feed);
        } catch (BridgeException | RuntimeException e) {
            stream.close();
            throw e;
        }
        taps.put(id, tap);
        opened.incrementAndGet();
        log.info("speech tap {} on {} ({}, {} Hz) to {}", id, tap.label, request.language(), request.sampleRate(),
                request.speechUrls());
        return id;
    }

    @Override
    public void closeTap(String tapId) {
        Tap tap = tapId == null ? null : taps.get(tapId);
        if (tap != null) {
            tap.closeAudio(); // the feed finishes the stream: the last words and Status(ENDED) follow
        }
    }

    @Override
    public SpeechTapEvents tapEvents(Map<String, Long> cursors) throws BridgeException {
        if (cursors.size() > MAX_TAPS_PER_POLL) {
            throw new BridgeException.BadRequest("at most " + MAX_TAPS_PER_POLL + " taps per request");
        }
        int budget = settings.maxEventsPerReply();
        long now = System.nanoTime();
        List<SpeechTapEvents.Tap> out = new ArrayList<>(cursors.size());
        for (Map.Entry<String, Long> e : cursors.entrySet()) {
            Tap tap = taps.get(e.getKey());
            long cursor = Math.max(0, e.getValue());
            if (tap == null) {
                out.add(SpeechTapEvents.Tap.gone(e.getKey(), cursor));
                continue;
            }
            tap.lastAskedNanos = now;
            TapEventLog.Read read = tap.log.read(cursor, budget);
            budget -= read.events().size();
            out.add(new SpeechTapEvents.Tap(tap.id, read.next(), tap.lagMillis(), false, read.events()));
            if (tap.log.drained()) {
                taps.remove(tap.id, tap); // its status was collected
            }
        }
        return new SpeechTapEvents(out);
    }

    /** Open taps (ended ones whose last events wait included). */
    public int activeTaps() {
        return taps.size();
    }

    public long tapsOpened() {
        return opened.get();
    }

    /** Recognizer events relayed to signaling (handed to a tap's log). */
    public long eventsRelayed() {
        return relayed.get();
    }

    /** Events dropped because signaling did not collect them. */
    public long eventsDropped() {
        long n = 0;
        for (Tap t : taps.values()) {
            n += t.log.dropped();
        }
        return n;
    }

    public long tapsAbandoned() {
        return abandoned.get();
    }

    private void sweepSafely() {
        try {
            sweep(System.nanoTime());
        } catch (RuntimeException e) {
            log.error("sweeping speech taps failed", e);
        }
    }

    /** Closes abandoned taps, forgets ended ones kept long enough (the sweeper's thread; tests call it). */
    void sweep(long nowNanos) {
        for (Tap tap : taps.values()) {
            if (tap.endedNanos != 0 && nowNanos - tap.endedNanos > settings.keepEnded().toNanos()) {
                taps.remove(tap.id, tap);
            } else if (nowNanos - tap.lastAskedNanos > settings.abandonAfter().toNanos()) {
                taps.remove(tap.id, tap);
                abandoned.incrementAndGet();
                log.warn("speech tap {} on {}: nobody asked for its results for {} s; closed", tap.id, tap.label,
                        settings.abandonAfter().toSeconds());
                tap.closeAll();
            }
        }
    }

    /** Stops every tap (no further events) and the speech clients. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        for (Tap tap : taps.values()) {
            tap.closeAll();
        }
        taps.clear();
        clients.close();
    }

    /** One tap: its audio, its stream and the events waiting for signaling. */
    private final class Tap implements io.livedesk.speech.api.TranscriptListener {
        final String id;
        /** endpoint@meeting, for logs: ids only. */
        final String label;
        final TapEventLog log = new TapEventLog(settings.maxEventsPerTap());
        volatile StreamFeed feed;
        volatile AudioTap audio;
        volatile long lastAskedNanos = System.nanoTime();
        volatile long endedNanos;

        Tap(String id, String label) {
            this.id = id;
            this.label = label;
        }

        long lagMillis() {
            StreamFeed f = feed;
            return f == null ? 0 : f.stream().lagMillis();
        }

        /** On a speech client thread. */
        @Override
        public void onEvent(TranscriptEvent event) {
            TranscriptEvent out = event instanceof TranscriptEvent.Final f ? toEpoch(f) : event;
            if (this.log.append(out)) {
                relayed.incrementAndGet();
            }
            if (event instanceof TranscriptEvent.Status status) {
                endedNanos = System.nanoTime();
                if (status.state() != TranscriptEvent.StreamState.ENDED) {
                    SpeechTapRelay.log.info("speech tap {} on {} ended: {} ({})", id, label, status.state(),
                            status.reason());
                }
                closeAudio(); // nothing listens any more
            }
        }

        private TranscriptEvent.Final toEpoch(TranscriptEvent.Final f) {
            StreamFeed fd = feed;
            if (fd == null) {
                return f;
            }
            List<Word> words = new ArrayList<>(f.words().size());
            for (Word w : f.words()) {
                words.add(new Word(w.word(), seconds(fd, w.start()), seconds(fd, w.end()), w.conf()));
            }
            return new TranscriptEvent.Final(f.text(), words, seconds(fd, f.start()), seconds(fd, f.end()));
        }

        private static double seconds(StreamFeed fd, double streamSeconds) {
            return fd.epochMillis(streamSeconds) / 1000.0;
        }

        void closeAudio() {
            AudioTap a = audio;
            if (a != null) {
                a.close();
            }
        }

        void closeAll() {
            closeAudio();
            StreamFeed f = feed;
            if (f != null) {
                f.stream().close();
            }
        }
    }
}
