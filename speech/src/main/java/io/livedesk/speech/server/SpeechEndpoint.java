package io.livedesk.speech.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import io.livedesk.speech.api.RecognizerOptions;
import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.api.TranscriptListener;
import io.livedesk.speech.protocol.VoskClientMessage;
import io.livedesk.speech.protocol.VoskProtocolException;
import io.livedesk.speech.protocol.VoskProtocol;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vosk-server connection. Language from the path ({@code /} the default, {@code /{language}});
 * config text frames at any time, binary PCM16LE frames, {@code {"reset":1}}, {@code {"eof":1}}. Each
 * audio frame gets one reply (partial or result), reset gets the final result of the utterance so
 * far, eof gets the final result and then a normal close, as vosk-server does. Config is never
 * answered.
 *
 * <p>Config, as vosk-server's {@code asr_server.py} treats it: every config updates the stored
 * settings. The stream (our recognizer) opens at the first config (so a bad rate or an overload is
 * reported before any audio), or at the first audio, reset or eof without one. Until the stream has
 * had audio, reset or eof, a later config reopens it with the new settings (vosk-server creates its
 * recognizer only at the first audio, so all of them count). After that, only a config with
 * {@code model} makes a new recognizer, with all stored settings, dropping the utterance in progress
 * without a reply (vosk-server's {@code model_changed}); other settings wait for that. Unlike
 * vosk-server, {@code model} must name a model this node has ({@link SpeechService#languageOfModel}),
 * never a path to load. The new stream opens when the old one has answered every frame sent to it,
 * and what comes meanwhile is held, so replies stay in order.
 *
 * <p>Errors are {@code {"error":"…"}} followed by a close: malformed JSON 1007, a text frame that is
 * not config/eof/reset 1003, a config we do not serve, an unknown model or language 1008, an
 * oversized frame 1009, overload 1013, a recognition failure 1011. The other connections are unaffected.
 *
 * <p>Tyrus calls the message handlers one at a time per connection (Grizzly worker threads); speech
 * workers call the listener. Handlers only copy audio into the stream, never recognise. Public only
 * because Tyrus calls its methods reflectively; {@link SpeechServer} makes the instances.
 */
public final class SpeechEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(SpeechEndpoint.class);
    static final String LANGUAGE_PARAM = "language";
    /** Tyrus's own frame bound, in multiples of ours (see onOpen). */
    static final int TYRUS_FRAME_FACTOR = 4;

    private final SpeechService service;
    private final ServerSettings settings;
    private final VoskProtocol protocol;
    private final ConnectionStats stats;
    private final IdleSweeper idle;
    private final String id;
    private volatile long lastActivityNanos;
    /** Set in onOpen before any handler or stream exists; read by speech workers without the lock. */
    private volatile ReplyQueue outbox;

    // Guarded by this (handlers and close may come on different threads).
    private Session session;
    private String language;
    private int sampleRate;
    private boolean words = true;
    private int maxAlternatives;
    private List<String> phraseList = List.of();
    private SpeechStream stream;
    /** The listener of {@link #stream}, and what it was opened with. */
    private Replies replies;
    private StreamSpec openedSpec;
    /** Whether the stream has had audio, reset or eof: from then on a config no longer reopens it. */
    private boolean fed;
    private boolean eof;
    /** A stream being replaced after a model change, until it has answered its last frame. */
    private SpeechStream retiring;
    /** Input that came while {@link #retiring} was finishing, for the stream that replaces it. */
    private final Deque<Runnable> held = new ArrayDeque<>();

    SpeechEndpoint(SpeechService service, ServerSettings settings, VoskProtocol protocol, ConnectionStats stats,
                   IdleSweeper idle, String id) {
        this.service = service;
        this.settings = settings;
        this.protocol = protocol;
        this.stats = stats;
        this.idle = idle;
        this.id = id;
    }

    @Override
    public synchronized void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        stats.active.incrementAndGet();
        this.outbox = new ReplyQueue(session, id, settings.maxPendingReplies());
        this.sampleRate = settings.defaultSampleRate();
        String fromPath = session.getPathParameters().get(LANGUAGE_PARAM);
        this.language = fromPath == null ? settings.defaultLanguage() : fromPath;
        // Idle connections are closed by SpeechServer's own sweep (see lastActivity), not by Tyrus's
        // session idle timeout: after Tyrus cuts a connection for a frame over its buffer, its idle
        // timer closed other, fresh sessions at once (seen with Tyrus 2.2.0).
        touch();
        idle.register(this);
        // Our own check in onAudio answers frames over maxFrameBytes with an error text, so Tyrus's
        // bounds sit above it: up to TYRUS_FRAME_FACTOR x the limit the client gets our error; past
        // that, Tyrus cuts the connection itself (1009, or 1011 "Buffer overflow") without buffering.
        session.setMaxBinaryMessageBufferSize(settings.maxFrameBytes() * TYRUS_FRAME_FACTOR);
        session.setMaxTextMessageBufferSize(VoskProtocol.MAX_TEXT_BYTES * 2);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::onAudio);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
        log.debug("speech connection {} opened for '{}'", id, language);
        if (!service.status().languages().contains(language) && service.status().ready()) {
            fail(CloseCodes.VIOLATED_POLICY, "unsupported language '" + language + "' (have "
                    + String.join(", ", service.status().languages()) + "); connect to /{language}");
        }
    }

    private synchronized void onAudio(ByteBuffer frame) {
        touch();
        if (outbox.closing()) {
            return;
        }
        int bytes = frame.remaining();
        if (bytes > settings.maxFrameBytes()) {
            fail(CloseCodes.TOO_BIG, "audio frame of " + bytes + " bytes; at most " + settings.maxFrameBytes());
            return;
        }
        if (eof) {
            fail(CloseCodes.VIOLATED_POLICY, "audio after eof");
            return;
        }
        if ((bytes & 1) != 0) {
            fail(CloseCodes.CANNOT_ACCEPT, "audio frame of " + bytes + " bytes: PCM16 needs an even number");
            return;
        }
        byte[] pcm = new byte[bytes];
        frame.get(pcm);
        audio(pcm);
    }

    private void audio(byte[] pcm) {
        if (retiring != null) {
            hold(() -> audio(pcm));
        } else if (feedable()) {
            // False when the stream was shed or failed: its listener reports that and closes.
            stream.accept(pcm, 0, pcm.length);
        }
    }

    private void reset() {
        if (retiring != null) {
            hold(this::reset);
        } else if (feedable()) {
            stream.reset();
        }
    }

    private void finishStream() {
        if (retiring != null) {
            hold(this::finishStream);
        } else if (feedable()) {
            stream.finish();
        }
    }

    /** The stream is open (opening it now if need be) and from now on counts as fed; false after an error reply. */
    private boolean feedable() {
        if (stream == null && !openStream()) {
            return false;
        }
        fed = true;
        return true;
    }

    private void hold(Runnable input) {
        if (held.size() >= settings.maxPendingReplies()) {
            fail(CloseCodes.VIOLATED_POLICY, "more than " + settings.maxPendingReplies()
                    + " messages while the model changes");
            return;
        }
        held.add(input);
    }

    private synchronized void onText(String text) {
        touch();
        if (outbox.closing()) {
            return;
        }
        VoskClientMessage message;
        try {
            message = protocol.parse(text);
        } catch (VoskProtocolException e) {
            fail(e.closeCode(), e.getMessage());
            return;
        }
        if (message instanceof VoskClientMessage.Config c) {
            configure(c);
        } else if (message instanceof VoskClientMessage.Reset) {
            if (eof) {
                fail(CloseCodes.VIOLATED_POLICY, "reset after eof");
                return;
            }
            reset();
        } else if (message instanceof VoskClientMessage.Eof) {
            if (eof) {
                fail(CloseCodes.VIOLATED_POLICY, "second eof");
                return;
            }
            eof = true;
            finishStream();
        }
    }

    /** Stores the config's settings and applies them as vosk-server would (see the class comment). */
    private void configure(VoskClientMessage.Config c) {
        if (eof) {
            // vosk-server reads nothing after eof; the final result is on its way.
            log.debug("speech connection {}: config after eof ignored", id);
            return;
        }
        String newLanguage = language;
        if (c.model() != null) {
            Optional<String> named = service.languageOfModel(c.model());
            if (named.isEmpty()) {
                fail(CloseCodes.VIOLATED_POLICY, "unknown model '" + VoskProtocol.brief(c.model())
                        + "': this node loads no models on request; it has " + String.join(", ",
                        service.status().languages()) + " (a language code or model folder name)");
                return;
            }
            newLanguage = named.get();
        }
        language = newLanguage;
        if (c.sampleRate() != null) {
            sampleRate = c.sampleRate();
        }
        if (c.words() != null) {
            words = c.words();
        }
        if (c.maxAlternatives() != null) {
            maxAlternatives = c.maxAlternatives();
        }
        if (c.phraseList() != null) {
            phraseList = c.phraseList();
        }
        if (retiring != null) {
            return;
        }
        if (stream == null) {
            openStream();
        } else if (!fed) {
            // Nothing recognised yet: what vosk-server would create at the first audio is this new spec.
            if (!spec().equals(openedSpec)) {
                stream.close();
                stream = null;
                openStream();
            }
        } else if (c.model() != null) {
            retiring = stream;
            replies.replaced = true;
            stream = null;
            fed = false;
            retiring.finish();
        }
        // Otherwise stored for the next recognizer, which only a model change creates.
    }

    /** Opens the stream with the settings so far; false (after an error reply) if refused. */
    private boolean openStream() {
        StreamSpec spec = spec();
        try {
            Replies listener = new Replies();
            stream = service.open(spec, listener);
            replies = listener;
            openedSpec = spec;
            return true;
        } catch (SpeechUnavailableException e) {
            switch (e.reason()) {
                case OVERLOADED:
                    fail(CloseCodes.TRY_AGAIN_LATER, e.getMessage());
                    break;
                case UNSUPPORTED:
                    fail(CloseCodes.VIOLATED_POLICY, e.getMessage());
                    break;
                default:
                    fail(CloseCodes.TRY_AGAIN_LATER, e.getMessage());
                    break;
            }
            return false;
        }
    }

    private StreamSpec spec() {
        return new StreamSpec(language, sampleRate, "ws/" + id, words, ResultMode.PER_CHUNK,
                new RecognizerOptions(maxAlternatives, phraseList));
    }

    /**
     * The stream being retired ended (its last frame answered): open its successor and feed it what
     * was held meanwhile. Called on a speech worker.
     */
    private synchronized void retired() {
        retiring = null;
        if (outbox.closing()) {
            held.clear();
            return;
        }
        if (!openStream()) {
            held.clear();
            return;
        }
        while (!held.isEmpty() && retiring == null && !outbox.closing()) {
            held.poll().run();
        }
    }

    /**
     * One stream's events as replies, one per event, in order (speech worker thread). Once its
     * stream is being retired for a model change, the final result that its finish produces is
     * dropped, as vosk-server drops the utterance in progress: each final waits for the next event,
     * and the one followed by the end is not sent.
     */
    private final class Replies implements TranscriptListener {
        /** Set under the endpoint's lock before the retiring stream's finish is queued, so its final sees it. */
        private volatile boolean replaced;
        /** Worker-only: a stream's events come one at a time. */
        private Final pending;

        @Override
        public void onEvent(TranscriptEvent event) {
            ReplyQueue out = outbox;
            if (replaced) {
                if (event instanceof Final f) {
                    flushPending(out);
                    pending = f;
                    return;
                }
                if (event instanceof Status s && s.state() == StreamState.ENDED) {
                    pending = null;
                    retired();
                    return;
                }
                flushPending(out);
            }
            reply(out, event);
        }

        private void flushPending(ReplyQueue out) {
            if (pending != null) {
                out.send(protocol.result(pending));
                pending = null;
            }
        }
    }

    /** One reply for one event. */
    private void reply(ReplyQueue out, TranscriptEvent event) {
        if (event instanceof Partial p) {
            out.send(protocol.partial(p.text()));
        } else if (event instanceof Final f) {
            out.send(protocol.result(f));
        } else if (event instanceof Status s) {
            switch (s.state()) {
                case ENDED:
                    out.finish(null, ReplyQueue.reason(CloseCodes.NORMAL_CLOSURE, "eof"));
                    break;
                case SHED:
                    log.info("speech connection {}: stream shed ({})", id, s.reason());
                    out.finish(protocol.error(s.reason() + ": the speech node is over capacity"),
                            ReplyQueue.reason(CloseCodes.TRY_AGAIN_LATER, s.reason()));
                    break;
                case FAILED:
                default:
                    log.warn("speech connection {}: stream failed ({})", id, s.reason());
                    out.finish(protocol.error("recognition failed: " + s.reason()),
                            ReplyQueue.reason(CloseCodes.UNEXPECTED_CONDITION, s.reason()));
                    break;
            }
        }
    }

    private void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Called by the sweep: closes the connection if the client sent nothing for the idle timeout. */
    void closeIfIdle(long now) {
        if (now - lastActivityNanos > settings.idleTimeout().toNanos()) {
            synchronized (this) {
                if (!outbox.closing()) {
                    fail(CloseCodes.VIOLATED_POLICY, "idle for " + settings.idleTimeout().toSeconds()
                            + " s: nothing received");
                }
            }
        }
    }

    /** Bad input: tell the client why, close this connection, log it; the node carries on. */
    private void fail(CloseCode code, String message) {
        stats.protocolErrors.incrementAndGet();
        log.info("speech connection {}: closing with {}: {}", id, code.getCode(), message);
        closeStreams();
        outbox.finish(protocol.error(message), ReplyQueue.reason(code, message));
    }

    @Override
    public synchronized void onClose(Session session, CloseReason closeReason) {
        log.debug("speech connection {} closed: {}", id, closeReason.getCloseCode().getCode());
        stats.active.decrementAndGet();
        idle.unregister(this);
        closeStreams();
    }

    private void closeStreams() {
        if (stream != null) {
            stream.close();
        }
        if (retiring != null) {
            retiring.close();
        }
        held.clear();
    }

    @Override
    public void onError(Session session, Throwable error) {
        // Includes Tyrus refusing a frame over its own bound, and clients that vanish.
        log.info("speech connection {}: {}", id, error.toString());
        synchronized (this) {
            closeStreams();
        }
    }
}
