package io.livedesk.speech.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
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
import io.livedesk.speech.engine.NamedThreads;
import io.livedesk.speech.engine.VoskJson;
import io.livedesk.speech.protocol.VoskProtocol;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speech on remote nodes that speak the vosk-server protocol: a LiveDesk speech node ({@code java
 * -jar livedesk-speech.jar}) or vosk-server itself, several per language. One WebSocket per stream, opened in
 * the background on the least loaded node that answers ({@link SpeechNodes}): {@link #open} returns at once, audio
 * accepted before the handshake is sent after it. A stream whose node fails moves to another with the audio that
 * node had not answered; one with no node left to try turns into {@code Status(FAILED)} on the listener.
 *
 * <p>Threads: {@code ld-speech-client-N} (bounded, {@code threads}) connect, send, deliver events and check nodes
 * that are down; {@code ld-speech-client-timer} notices nodes that stopped answering and schedules those checks. Tyrus's shared client
 * container does the socket I/O for all streams (its threads stop 30 s after the last connection).
 */
public final class RemoteSpeechService implements SpeechService {
    private static final Logger log = LoggerFactory.getLogger(RemoteSpeechService.class);
    /** How long a failed send waits for the node's own close to explain it. */
    static final long CLOSE_GRACE_MILLIS = 250;
    /** How long a stream that every node just failed waits before it tries them again (within its queue limit). */
    static final long RETRY_MILLIS = 500;

    private final RemoteSettings settings;
    private final ClientManager client;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;
    private final VoskProtocol protocol = new VoskProtocol();
    private final VoskJson json = new VoskJson();
    private final Set<RemoteStream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong shed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong moved = new AtomicLong();
    private final SpeechNodes nodes;
    private volatile boolean closed;

    public RemoteSpeechService(RemoteSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = ClientManager.createClient();
        // One Grizzly transport for every stream, instead of a selector and worker pool per connection.
        client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, settings.connectTimeout().toMillis());
        // A stream has at most one task in this queue (its StreamTaskExecutor keeps the rest), and its
        // own backlog is bounded by the queue limit, so maxStreams bounds the queue.
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(settings.maxStreams() + settings.threads()),
                new NamedThreads("ld-speech-client"));
        this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("ld-speech-client-timer"));
        long period = Math.max(20, Math.min(1000, settings.replyTimeout().toMillis() / 4));
        timer.scheduleWithFixedDelay(this::checkTimeouts, period, period, TimeUnit.MILLISECONDS);
        this.nodes = new SpeechNodes(this::probe);
        long health = settings.healthInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> nodes.checkDown(pool), health, health, TimeUnit.MILLISECONDS);
        log.info("speech: remote engine at {}", settings.describe());
    }

    @Override
    public SpeechStream open(StreamSpec spec, TranscriptListener listener) throws SpeechUnavailableException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw reject(Reason.CLOSED, "speech service is closed");
        }
        List<URI> candidates = settings.urlsFor(spec.language());
        if (candidates.isEmpty()) {
            throw reject(Reason.UNSUPPORTED, "no speech node configured for language '" + spec.language() + "'");
        }
        URI uri = nodes.pick(candidates, Set.of());
        RemoteStream stream;
        synchronized (this) {
            if (streams.size() >= settings.maxStreams()) {
                throw reject(Reason.OVERLOADED, "overloaded: " + streams.size() + " remote streams open (max-streams "
                        + settings.maxStreams() + ")");
            }
            stream = new RemoteStream(this, client, settings, uri, "r" + ids.incrementAndGet(), spec, listener,
                    protocol, json);
            streams.add(stream);
        }
        opened.incrementAndGet();
        return stream;
    }

    private SpeechUnavailableException reject(Reason reason, String message) {
        rejected.incrementAndGet();
        return new SpeechUnavailableException(reason, message);
    }

    Executor pool() {
        return pool;
    }

    SpeechNodes nodes() {
        return nodes;
    }

    /** A language's nodes, in order of preference. */
    List<URI> candidates(String language) {
        return settings.urlsFor(language);
    }

    /** A stream moved to another node after its node failed. */
    void moved() {
        moved.incrementAndGet();
    }

    /** Streams moved so far. */
    public long streamsMoved() {
        return moved.get();
    }

    /** Whether the node at {@code uri} counts as up (tests, status). */
    public boolean isNodeUp(URI uri) {
        return nodes.isUp(uri);
    }

    /** A WebSocket handshake, closed at once: what both LiveDesk speech nodes and vosk-server accept. */
    private void probe(URI node) throws Exception {
        Session s = client.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session session, EndpointConfig config) {
                // nothing to say: the handshake was the check
            }
        }, ClientEndpointConfig.Builder.create().build(), node);
        s.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "health check"));
    }

    void terminated(RemoteStream stream, boolean wasShed, boolean wasFailed) {
        streams.remove(stream);
        if (wasShed) {
            shed.incrementAndGet();
        }
        if (wasFailed) {
            failed.incrementAndGet();
        }
    }

    /** Runs a task after {@code millis} on the timer (at once when the service is closing). */
    void later(Runnable task, long millis) {
        try {
            timer.schedule(task, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (RemoteStream s : streams) {
            s.checkTimeout(now);
        }
    }

    @Override
    public SpeechStatus status() {
        if (closed) {
            return SpeechStatus.of(SpeechStatus.State.CLOSED, "speech service closed");
        }
        long maxLag = 0;
        List<RemoteStream> open = new ArrayList<>(streams);
        for (RemoteStream s : open) {
            maxLag = Math.max(maxLag, s.lagMillis());
        }
        return new SpeechStatus(SpeechStatus.State.READY, "remote speech nodes " + settings.describe(),
                new ArrayList<>(settings.urls().keySet()), open.size(), settings.threads(), 0, maxLag, opened.get(),
                rejected.get(), shed.get(), failed.get());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (RemoteStream s : new ArrayList<>(streams)) {
            s.close();
        }
        timer.shutdownNow();
        // Lets the close tasks of the streams run, then stops the threads.
        pool.shutdown();
        try {
            if (!pool.awaitTermination(settings.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
        log.info("speech: remote engine closed ({} streams opened, {} moved to another node, {} shed, {} failed)",
                opened.get(), moved.get(), shed.get(), failed.get());
    }
}
