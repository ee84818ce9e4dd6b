package io.livedesk.speech.server;

import java.nio.ByteBuffer;

import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
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
 * an optional config text frame, binary PCM16LE frames, {@code {"eof":1}}. Each audio frame gets one
 * reply (partial or result), eof gets the final result and then a normal close, as vosk-server does.
 * The stream opens at the config (so a bad rate or an overload is reported before any audio) or at
 * the first audio without config, at the default rate.
 *
 * <p>Errors are {@code {"error":"…"}} followed by a close: malformed JSON 1007, a text frame that is
 * not config/eof 1003, a config we do not serve or an unknown language 1008, an oversized frame 1009,
 * overload 1013, a recognition failure 1011. The other connections are unaffected.
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

    // Guarded by this (handlers and close may come on different threads).
    private Session session;
    private ReplyQueue outbox;
    private String language;
    private int sampleRate;
    private boolean words = true;
    private SpeechStream stream;
    private boolean eof;

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
        if (stream == null && !openStream()) {
            return;
        }
        byte[] pcm = new byte[bytes];
        frame.get(pcm);
        // False when the stream was shed or failed: its listener reports that and closes.
        stream.accept(pcm, 0, bytes);
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
            if (stream != null || eof) {
                fail(CloseCodes.VIOLATED_POLICY, "config must come once, before any audio");
                return;
            }
            if (c.sampleRate() != null) {
                sampleRate = c.sampleRate();
            }
            if (c.words() != null) {
                words = c.words();
            }
            openStream();
        } else if (message instanceof VoskClientMessage.Eof) {
            if (eof) {
                fail(CloseCodes.VIOLATED_POLICY, "second eof");
                return;
            }
            if (stream == null && !openStream()) {
                return;
            }
            eof = true;
            stream.finish();
        }
    }

    /** Opens the stream with the settings so far; false (after an error reply) if refused. */
    private boolean openStream() {
        StreamSpec spec = new StreamSpec(language, sampleRate, "ws/" + id, words, ResultMode.PER_CHUNK);
        try {
            stream = service.open(spec, this::onEvent);
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

    /** Speech worker thread: one reply per event, in order. */
    private void onEvent(TranscriptEvent event) {
        ReplyQueue out = outbox();
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

    private synchronized ReplyQueue outbox() {
        return outbox;
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
        if (stream != null) {
            stream.close();
        }
        outbox.finish(protocol.error(message), ReplyQueue.reason(code, message));
    }

    @Override
    public synchronized void onClose(Session session, CloseReason closeReason) {
        log.debug("speech connection {} closed: {}", id, closeReason.getCloseCode().getCode());
        stats.active.decrementAndGet();
        idle.unregister(this);
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        // Includes Tyrus refusing a frame over its own bound, and clients that vanish.
        log.info("speech connection {}: {}", id, error.toString());
        SpeechStream s;
        synchronized (this) {
            s = stream;
        }
        if (s != null) {
            s.close();
        }
    }
}
