package io.livedesk.speech.client;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.speech.api.ResultMode;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Partial;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.api.TranscriptListener;
import io.livedesk.speech.engine.VoskJson;
import io.livedesk.speech.protocol.VoskProtocol;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream on a remote speech node: one WebSocket. Audio is gathered into frames of {@code
 * sendBatch}; the vosk-server protocol answers each frame, so the stream counts frames sent and
 * replies received: the reply after eof with nothing outstanding is the last result.
 *
 * <p>Connect, sends, event delivery and close run on the stream's {@link StreamTaskExecutor}; Tyrus's
 * threads only hand replies over. Nothing here throws on a callback thread: failures become a
 * {@code Status(FAILED)} (or {@code SHED} when the node says it is overloaded).
 */
final class RemoteStream implements SpeechStream {
    private static final Logger log = LoggerFactory.getLogger(RemoteStream.class);
    /** vosk-server's "try again later": the node is over capacity. */
    private static final int TRY_AGAIN_LATER = 1013;

    private enum State {
        CONNECTING, OPEN, FINISHING, ENDED, SHED, FAILED, CLOSED;

        boolean terminal() {
            return ordinal() >= ENDED.ordinal();
        }
    }

    private final RemoteSpeechService service;
    private final ClientManager client;
    private final RemoteSettings settings;
    private final URI uri;
    private final String id;
    final StreamSpec spec;
    private final TranscriptListener listener;
    private final VoskProtocol protocol;
    private final VoskJson json;
    private final StreamTaskExecutor serial;
    private final int batchBytes;
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);

    // Guarded by this: audio being gathered, and frames sent but not answered yet.
    private byte[] batch;
    private int batchLength;
    private long batchStartNanos;
    /** When each unanswered frame's first audio was accepted, oldest first (the eof counts too). */
    private final Deque<Long> unanswered = new ArrayDeque<>();
    private boolean eofQueued;
    private long lastProgressNanos;

    // Serial-executor-only.
    private Session session;
    private String lastPartial = "";
    private String serverError;

    RemoteStream(RemoteSpeechService service, ClientManager client, RemoteSettings settings, URI uri, String id,
                 StreamSpec spec, TranscriptListener listener, VoskProtocol protocol, VoskJson json) {
        this.service = service;
        this.client = client;
        this.settings = settings;
        this.uri = uri;
        this.id = id;
        this.spec = spec;
        this.listener = listener;
        this.protocol = protocol;
        this.json = json;
        this.serial = new StreamTaskExecutor(service.pool());
        this.batchBytes = (int) (settings.sendBatch().toMillis() * spec.sampleRate() / 1000) * 2;
        this.batch = new byte[batchBytes];
        this.lastProgressNanos = System.nanoTime();
        serial.execute(this::connect);
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
        byte[] bytes = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            short v = pcm[offset + i];
            bytes[2 * i] = (byte) v;
            bytes[2 * i + 1] = (byte) (v >> 8);
        }
        return accept(bytes, 0, bytes.length);
    }

    @Override
    public boolean accept(byte[] pcm16le, int offset, int length) {
        if (length < 0 || offset < 0 || offset + length > pcm16le.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + pcm16le.length);
        }
        if ((length & 1) != 0) {
            throw new IllegalArgumentException("PCM16 needs an even number of bytes, got " + length);
        }
        State s = state.get();
        if (s != State.CONNECTING && s != State.OPEN) {
            return false;
        }
        long now = System.nanoTime();
        synchronized (this) {
            if (eofQueued) {
                return false;
            }
            int at = offset;
            int left = length;
            while (left > 0) {
                if (batchLength == 0) {
                    batchStartNanos = now;
                }
                int n = Math.min(left, batchBytes - batchLength);
                System.arraycopy(pcm16le, at, batch, batchLength, n);
                batchLength += n;
                at += n;
                left -= n;
                if (batchLength == batchBytes) {
                    sendBatchLocked();
                }
            }
        }
        if (lagNanos(now) > settings.queueLimit().toNanos()) {
            terminate(State.SHED, "overloaded: the speech node is " + lagMillis() + " ms behind");
            return false;
        }
        return true;
    }

    /** Hands the gathered audio to the serial executor as one frame. Caller holds this. */
    private void sendBatchLocked() {
        byte[] frame = new byte[batchLength];
        System.arraycopy(batch, 0, frame, 0, batchLength);
        if (unanswered.isEmpty()) {
            lastProgressNanos = System.nanoTime();
        }
        unanswered.add(batchStartNanos);
        batchLength = 0;
        serial.execute(() -> sendFrame(frame));
    }

    @Override
    public void finish() {
        if (!state.compareAndSet(State.OPEN, State.FINISHING) && !state.compareAndSet(State.CONNECTING, State.FINISHING)) {
            return;
        }
        synchronized (this) {
            if (eofQueued) {
                return;
            }
            if (batchLength > 0) {
                sendBatchLocked();
            }
            eofQueued = true;
            if (unanswered.isEmpty()) {
                lastProgressNanos = System.nanoTime();
            }
            unanswered.add(System.nanoTime());
        }
        serial.execute(this::sendEof);
    }

    @Override
    public long lagMillis() {
        return lagNanos(System.nanoTime()) / 1_000_000;
    }

    /** How long the oldest audio not yet answered has been waiting (batching included). */
    private synchronized long lagNanos(long now) {
        Long oldest = unanswered.peekFirst();
        if (oldest == null && batchLength > 0) {
            oldest = batchStartNanos;
        }
        return oldest == null ? 0 : Math.max(0, now - oldest);
    }

    @Override
    public void close() {
        terminate(State.CLOSED, "closed");
    }

    boolean isOpen() {
        return !state.get().terminal();
    }

    /** Called by the service's timer: fails a stream whose node stopped answering. */
    void checkTimeout(long now) {
        long since;
        synchronized (this) {
            if (unanswered.isEmpty() || state.get().terminal()) {
                return;
            }
            since = lastProgressNanos;
        }
        if (now - since > settings.replyTimeout().toNanos()) {
            terminate(State.FAILED, "no reply from the speech node within " + settings.replyTimeout().toMillis()
                    + " ms");
        }
    }

    // ---- serial executor -------------------------------------------------------------------------

    private void connect() {
        if (state.get().terminal()) {
            return;
        }
        try {
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
            session = client.connectToServer(new Connection(), config, uri);
        } catch (Exception e) {
            // DeploymentException (handshake refused or timed out), IOException, Tyrus runtime errors.
            terminate(State.FAILED, "cannot connect to the speech node " + hostOf(uri) + ": " + e.getMessage());
            closeSession(null);
            return;
        }
        try {
            session.getBasicRemote().sendText(protocol.config(spec.sampleRate(), spec.words()));
            state.compareAndSet(State.CONNECTING, State.OPEN);
            log.debug("speech stream {} ({}) connected to {}", id, spec.label(), hostOf(uri));
        } catch (Exception e) {
            sendFailed(e);
        }
        if (state.get().terminal()) {
            // Closed by the caller while connecting.
            closeSession(null);
        }
    }

    private void sendFrame(byte[] frame) {
        if (state.get().terminal() || session == null) {
            return;
        }
        send(() -> session.getAsyncRemote().sendBinary(ByteBuffer.wrap(frame)));
    }

    private void sendEof() {
        if (state.get().terminal() || session == null) {
            return;
        }
        send(() -> session.getAsyncRemote().sendText(VoskProtocol.EOF));
    }

    /** Sends and waits (bounded) so frames leave in order and a node that stopped reading is noticed. */
    private void send(java.util.function.Supplier<java.util.concurrent.Future<Void>> sending) {
        try {
            sending.get().get(settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            terminate(State.FAILED, "sending to the speech node timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(State.FAILED, "interrupted");
        } catch (Exception e) {
            sendFailed(e);
        }
    }

    /**
     * A send failed: usually the node closed the connection, and its close (with an error that says
     * why, e.g. overloaded) is on its way. Report the send failure only if that close does not
     * arrive within a moment.
     */
    private void sendFailed(Exception e) {
        String reason = "sending to the speech node failed: " + e.getMessage();
        service.later(() -> serial.execute(() -> terminate(State.FAILED, reason)));
    }

    /** A reply from the node, on the serial executor. */
    private void onReply(String text) {
        if (state.get().terminal()) {
            return;
        }
        JsonNode node;
        try {
            node = protocol.reply(text);
        } catch (IOException e) {
            terminate(State.FAILED, "unreadable reply from the speech node");
            return;
        }
        if (node.has("error")) {
            // The close that follows says what it means (1013: shed); keep the text for the status.
            serverError = node.path("error").asText("");
            return;
        }
        boolean last;
        synchronized (this) {
            if (unanswered.isEmpty()) {
                log.debug("speech stream {}: reply with nothing outstanding, ignored", id);
                return;
            }
            unanswered.pollFirst();
            lastProgressNanos = System.nanoTime();
            last = eofQueued && unanswered.isEmpty();
        }
        if (node.has("partial") && !last) {
            String p = node.path("partial").asText("");
            if (spec.mode() == ResultMode.PER_CHUNK || !p.equals(lastPartial)) {
                lastPartial = p;
                deliver(new Partial(p));
            }
        } else if (node.has("text") || node.has("partial")) {
            lastPartial = "";
            Final f = json.result(node, spec.words());
            if (spec.mode() == ResultMode.PER_CHUNK || !f.isEmpty()) {
                deliver(f);
            }
        }
        if (last && state.compareAndSet(State.FINISHING, State.ENDED)) {
            service.terminated(this, false, false);
            deliver(new Status(StreamState.ENDED, "finished"));
            closeSession(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "eof"));
        }
    }

    /** The node closed the connection, on the serial executor. */
    private void onClosed(CloseReason reason) {
        session = null;
        if (state.get().terminal()) {
            return;
        }
        int code = reason.getCloseCode().getCode();
        String why = serverError != null ? serverError : reason.getReasonPhrase();
        if (code == TRY_AGAIN_LATER) {
            terminate(State.SHED, "overloaded: " + why);
        } else {
            terminate(State.FAILED, "the speech node closed the connection (" + code + (why.isEmpty() ? "" : ": " + why)
                    + ")");
        }
    }

    private void closeSession(CloseReason reason) {
        Session s = session;
        session = null;
        if (s != null && s.isOpen()) {
            try {
                s.close(reason != null ? reason : new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
            } catch (IOException | RuntimeException e) {
                log.debug("speech stream {}: close failed: {}", id, e.toString());
            }
        }
    }

    // ---- any thread --------------------------------------------------------------------------------

    /** Moves to a terminal state once; the status (not for CLOSED) and the close run on the serial executor. */
    private void terminate(State to, String reason) {
        while (true) {
            State s = state.get();
            if (s.terminal()) {
                return;
            }
            if (state.compareAndSet(s, to)) {
                break;
            }
        }
        service.terminated(this, to == State.SHED, to == State.FAILED);
        if (to == State.SHED || to == State.FAILED) {
            log.info("speech stream {} ({}) {}: {}", id, spec.label(), to == State.SHED ? "shed" : "failed", reason);
        }
        synchronized (this) {
            unanswered.clear();
            batchLength = 0;
        }
        serial.execute(() -> {
            if (to == State.SHED) {
                deliver(new Status(StreamState.SHED, reason));
            } else if (to == State.FAILED) {
                deliver(new Status(StreamState.FAILED, reason));
            }
            closeSession(null);
        });
    }

    private void deliver(TranscriptEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            log.warn("speech stream {} ({}): listener threw {}", id, spec.label(), e.toString());
        }
    }

    private static String hostOf(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** The Tyrus side: hands everything to the serial executor. */
    private final class Connection extends Endpoint {
        @Override
        public void onOpen(Session s, EndpointConfig config) {
            // Here, not after connectToServer returns: a node that refuses the stream closes at once, and a
            // setting on the closed session would read as a failure to connect rather than as its refusal.
            s.setMaxTextMessageBufferSize(64 * 1024);
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> serial.execute(() -> onReply(text)));
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            serial.execute(() -> onClosed(reason));
        }

        @Override
        public void onError(Session s, Throwable error) {
            serial.execute(() -> terminate(State.FAILED, "connection error: " + error.getMessage()));
        }
    }
}
