package io.livedesk.speech.client;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
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
 * One stream on a remote speech node: one WebSocket at a time. Audio is gathered into frames of {@code
 * sendBatch}; the vosk-server protocol answers each frame, so the stream keeps every frame until its reply: the
 * reply after eof with nothing outstanding is the last result.
 *
 * <p>When its node fails (refuses, closes, stops answering, or says it is overloaded), the stream moves to another
 * node of its language ({@link SpeechNodes}) and sends it, after the config, every frame the failed node had not
 * answered: only the recognizer's context of the utterance in progress is lost, not audio. When every node has
 * failed it, it tries them all again every {@link RemoteSpeechService#RETRY_MILLIS} while the failures last less
 * than its queue limit (a node restarting, a network cut), and only then fails; it is shed at once when the last
 * node said it was overloaded. A node that answers clears the list of those tried.
 *
 * <p>Connect, sends, event delivery and close run on the stream's {@link StreamTaskExecutor}; Tyrus's
 * threads only hand replies over, tagged with the connection they came on, so a late reply or close of a node the
 * stream left is ignored. Nothing here throws on a callback thread.
 */
final class RemoteStream implements SpeechStream {
    private static final Logger log = LoggerFactory.getLogger(RemoteStream.class);
    /** vosk-server's "try again later": the node is over capacity. */
    private static final int TRY_AGAIN_LATER = 1013;
    /** Closes that refuse the stream itself (unsupported data, bad data, policy: e.g. a language it lacks). */
    private static final Set<Integer> REFUSALS = Set.of(1003, 1007, 1008);

    private enum State {
        CONNECTING, OPEN, FINISHING, ENDED, SHED, FAILED, CLOSED;

        boolean terminal() {
            return ordinal() >= ENDED.ordinal();
        }
    }

    /** A frame sent or to be sent, kept until the node answers it; {@code frame} null for the eof. */
    private record Pending(long acceptedNanos, byte[] frame) {
    }

    private final RemoteSpeechService service;
    private final ClientManager client;
    private final RemoteSettings settings;
    private final String id;
    final StreamSpec spec;
    private final TranscriptListener listener;
    private final VoskProtocol protocol;
    private final VoskJson json;
    private final StreamTaskExecutor serial;
    private final int batchBytes;
    private final AtomicReference<State> state = new AtomicReference<>(State.CONNECTING);

    // Guarded by this: audio being gathered, frames not answered yet, and those not sent on this connection yet.
    private byte[] batch;
    private int batchLength;
    private long batchStartNanos;
    /** Every unanswered frame, oldest first (the eof counts too). */
    private final Deque<Pending> unanswered = new ArrayDeque<>();
    /** The tail of {@link #unanswered} not yet sent on the current connection. */
    private final Deque<Pending> toSend = new ArrayDeque<>();
    private boolean eofQueued;
    private long lastProgressNanos;

    // Serial-executor-only.
    /** The node, null once the stream ended or left it. Volatile: the timer reads it for logs. */
    private volatile URI uri;
    /** Counts connections: callbacks of an older one are ignored. Volatile: Tyrus's threads read it. */
    private volatile int generation;
    /** Nodes that failed this stream since the last reply: not tried again by it until every one has. */
    private final Set<URI> tried = new HashSet<>();
    /** When the nodes began failing this stream (no reply since); 0 while one answers. */
    private long failingSinceNanos;
    /** Why the last node failed, for the status when the stream gives up. */
    private volatile String lastFailure = "";
    private Session session;
    private String lastPartial = "";
    private String serverError;

    RemoteStream(RemoteSpeechService service, ClientManager client, RemoteSettings settings, URI uri, String id,
                 StreamSpec spec, TranscriptListener listener, VoskProtocol protocol, VoskJson json) {
        this.service = service;
        this.client = client;
        this.settings = settings;
        this.id = id;
        this.spec = spec;
        this.listener = listener;
        this.protocol = protocol;
        this.json = json;
        this.serial = new StreamTaskExecutor(service.pool());
        this.batchBytes = (int) (settings.sendBatch().toMillis() * spec.sampleRate() / 1000) * 2;
        this.batch = new byte[batchBytes];
        this.lastProgressNanos = System.nanoTime();
        serial.execute(() -> attach(uri));
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
            if (uri == null && !lastFailure.isEmpty()) {
                // Between nodes: no node is behind, none answers.
                terminate(State.FAILED, "no speech node answers (" + lastFailure + ")");
            } else {
                terminate(State.SHED, "overloaded: the speech node is " + lagMillis() + " ms behind");
            }
            return false;
        }
        return true;
    }

    /** Hands the gathered audio to the serial executor as one frame. Caller holds this. */
    private void sendBatchLocked() {
        byte[] frame = new byte[batchLength];
        System.arraycopy(batch, 0, frame, 0, batchLength);
        queueLocked(new Pending(batchStartNanos, frame));
        batchLength = 0;
    }

    /** Caller holds this. */
    private void queueLocked(Pending p) {
        if (unanswered.isEmpty()) {
            lastProgressNanos = System.nanoTime();
        }
        unanswered.add(p);
        toSend.add(p);
        serial.execute(this::flush);
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
            queueLocked(new Pending(System.nanoTime(), null));
        }
    }

    @Override
    public long lagMillis() {
        return lagNanos(System.nanoTime()) / 1_000_000;
    }

    /** How long the oldest audio not yet answered has been waiting (batching included). */
    private synchronized long lagNanos(long now) {
        Pending first = unanswered.peekFirst();
        Long oldest = first == null ? null : first.acceptedNanos();
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

    /** Called by the service's timer: a node that stopped answering counts as failed (the stream moves on). */
    void checkTimeout(long now) {
        synchronized (this) {
            if (unanswered.isEmpty() || state.get().terminal() || now - lastProgressNanos <= settings.replyTimeout().toNanos()) {
                return;
            }
            lastProgressNanos = now; // one report per silence
        }
        int on = generation;
        serial.execute(() -> nodeFailed(on, "no reply within " + settings.replyTimeout().toMillis() + " ms", false));
    }

    // ---- serial executor -------------------------------------------------------------------------

    /** Starts using {@code node}: counted there, connected, everything unanswered sent again. */
    private void attach(URI node) {
        if (state.get().terminal()) {
            return;
        }
        uri = node;
        service.nodes().attached(node);
        int on = ++generation;
        synchronized (this) {
            toSend.clear();
            toSend.addAll(unanswered);
            lastProgressNanos = System.nanoTime();
        }
        try {
            ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
            session = client.connectToServer(new Connection(on), config, node);
        } catch (Exception e) {
            // DeploymentException (handshake refused or timed out), IOException, Tyrus runtime errors.
            session = null;
            nodeFailed(on, "cannot connect: " + e.getMessage(), false);
            return;
        }
        try {
            session.getBasicRemote().sendText(protocol.config(spec.sampleRate(), spec.words()));
            state.compareAndSet(State.CONNECTING, State.OPEN);
            log.debug("speech stream {} ({}) connected to {}", id, spec.label(), hostOf(node));
        } catch (Exception e) {
            sendFailed(on, e);
            return;
        }
        if (state.get().terminal()) {
            // Closed by the caller while connecting.
            closeSession(null);
            return;
        }
        flush();
    }

    /** Sends what is waiting, in order, on the current connection. */
    private void flush() {
        while (!state.get().terminal() && session != null) {
            Pending next;
            synchronized (this) {
                next = toSend.pollFirst();
            }
            if (next == null) {
                return;
            }
            int on = generation;
            Session s = session;
            if (!send(on, next.frame() == null ? () -> s.getAsyncRemote().sendText(VoskProtocol.EOF)
                    : () -> s.getAsyncRemote().sendBinary(ByteBuffer.wrap(next.frame())))) {
                return;
            }
        }
    }

    /**
     * The node this stream uses failed it: the stream moves to another node of its language, or, with none left
     * to try, fails (is shed, when the node said it was overloaded). On the serial executor.
     */
    private void nodeFailed(int on, String reason, boolean overloaded) {
        if (on != generation || state.get().terminal() || uri == null) {
            return;
        }
        URI failed = uri;
        closeSession(null);
        uri = null;
        service.nodes().detached(failed);
        service.nodes().failed(failed, reason);
        tried.add(failed);
        long now = System.nanoTime();
        if (failingSinceNanos == 0) {
            failingSinceNanos = now;
        }
        lastFailure = hostOf(failed) + ": " + reason;
        URI next = service.nodes().pick(service.candidates(spec.language()), tried);
        if (next != null) {
            log.info("speech stream {} ({}) moves from {} to {}: {}", id, spec.label(), hostOf(failed), hostOf(next),
                    reason);
            service.moved();
            lastPartial = "";
            serverError = null;
            attach(next);
            return;
        }
        if (overloaded || now - failingSinceNanos >= settings.queueLimit().toNanos()) {
            terminate(overloaded ? State.SHED : State.FAILED,
                    overloaded ? "overloaded: " + reason : "speech node " + lastFailure);
            return;
        }
        // Every node failed it just now. A restarting node or a brief network cut is the usual cause, so the
        // stream keeps its audio and tries them all again, for as long as its queue limit allows.
        tried.clear();
        log.info("speech stream {} ({}): no speech node answers ({}); trying again in {} ms", id, spec.label(),
                lastFailure, RemoteSpeechService.RETRY_MILLIS);
        int waiting = generation;
        service.later(() -> serial.execute(() -> retry(waiting)), RemoteSpeechService.RETRY_MILLIS);
    }

    /** Tries the language's nodes again after every one failed, unless something else moved the stream since. */
    private void retry(int waiting) {
        if (waiting != generation || uri != null || state.get().terminal()) {
            return;
        }
        lastPartial = "";
        serverError = null;
        attach(service.nodes().pick(service.candidates(spec.language()), tried));
    }

    /**
     * Sends and waits (bounded) so frames leave in order and a node that stopped reading is noticed.
     *
     * @return false when the send failed (the failure is being handled)
     */
    private boolean send(int on, java.util.function.Supplier<java.util.concurrent.Future<Void>> sending) {
        try {
            sending.get().get(settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            nodeFailed(on, "sending timed out", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminate(State.FAILED, "interrupted");
        } catch (Exception e) {
            sendFailed(on, e);
        }
        return false;
    }

    /**
     * A send failed: usually the node closed the connection, and its close (with an error that says
     * why, e.g. overloaded) is on its way. Count it as the node failing only if that close does not
     * arrive within a moment.
     */
    private void sendFailed(int on, Exception e) {
        String reason = "sending failed: " + e.getMessage();
        service.later(() -> serial.execute(() -> nodeFailed(on, reason, false)), RemoteSpeechService.CLOSE_GRACE_MILLIS);
    }

    /** A reply from the node, on the serial executor. */
    private void onReply(int on, String text) {
        if (on != generation || state.get().terminal()) {
            return;
        }
        JsonNode node;
        try {
            node = protocol.reply(text);
        } catch (IOException e) {
            nodeFailed(on, "unreadable reply", false);
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
        if (tried.size() > 0) {
            tried.clear(); // this node works: a later failure may try the others again
        }
        failingSinceNanos = 0;
        service.nodes().answered(uri);
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
            leaveNode();
        }
    }

    /** The node closed the connection, on the serial executor. */
    private void onClosed(int on, CloseReason reason) {
        if (on != generation) {
            return;
        }
        session = null;
        if (state.get().terminal()) {
            return;
        }
        int code = reason.getCloseCode().getCode();
        String why = serverError != null ? serverError : reason.getReasonPhrase();
        if (code == TRY_AGAIN_LATER) {
            nodeFailed(on, why, true);
        } else if (REFUSALS.contains(code)) {
            // The node works but will not take this stream (e.g. its language): another node is no cure.
            leaveNode();
            terminate(State.FAILED, "the speech node closed the connection (" + code + (why.isEmpty() ? "" : ": " + why)
                    + ")");
        } else {
            nodeFailed(on, "closed the connection (" + code + (why.isEmpty() ? "" : ": " + why) + ")", false);
        }
    }

    /** No longer counted on its node (ended, failed, closed). Serial executor. */
    private void leaveNode() {
        URI node = uri;
        uri = null;
        if (node != null) {
            service.nodes().detached(node);
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
            toSend.clear();
            batchLength = 0;
        }
        serial.execute(() -> {
            if (to == State.SHED) {
                deliver(new Status(StreamState.SHED, reason));
            } else if (to == State.FAILED) {
                deliver(new Status(StreamState.FAILED, reason));
            }
            closeSession(null);
            leaveNode();
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
        return SpeechNodes.hostOf(uri);
    }

    /** The Tyrus side of one connection: hands everything to the serial executor, tagged with the connection. */
    private final class Connection extends Endpoint {
        private final int on;

        Connection(int on) {
            this.on = on;
        }

        @Override
        public void onOpen(Session s, EndpointConfig config) {
            // Here, not after connectToServer returns: a node that refuses the stream closes at once, and a
            // setting on the closed session would read as a failure to connect rather than as its refusal.
            s.setMaxTextMessageBufferSize(64 * 1024);
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> serial.execute(() -> onReply(on, text)));
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            serial.execute(() -> onClosed(on, reason));
        }

        @Override
        public void onError(Session s, Throwable error) {
            serial.execute(() -> nodeFailed(on, "connection error: " + error.getMessage(), false));
        }
    }
}
