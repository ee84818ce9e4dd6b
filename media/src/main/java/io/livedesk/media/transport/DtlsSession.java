package io.livedesk.media.transport;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one DTLS association on its own thread, BouncyCastle's DTLS API being blocking: the bridge as server toward a
 * browser (or the passive side of a relay), or as client on the controlling side of a relay to another bridge. After
 * the handshake the thread keeps reading, so a peer that lost the last flight gets it retransmitted (or a
 * retransmitted one is answered) and a close_notify is seen; WebRTC media sends no DTLS application data. A client's
 * ClientHello goes out at once; until ICE has a pair its sends are retried by the {@link IceDatagramTransport}.
 */
final class DtlsSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsSession.class);
    private static final int READ_WAIT_MILLIS = 500;
    private static final long JOIN_MILLIS = 2_000;

    /** One side's handshake over the transport. */
    @FunctionalInterface
    private interface Handshake {
        DTLSTransport run(IceDatagramTransport transport) throws IOException;
    }

    private final Handshake handshake;
    private final BooleanSupplier peerClosed;
    private final IceDatagramTransport transport;
    /** Who the session is, in log lines: {@code endpoint <id>} or {@code transport <id> (client)}. */
    private final String owner;
    private final Thread thread;
    private volatile boolean closed;
    private volatile DTLSTransport association;

    private DtlsSession(Handshake handshake, BooleanSupplier peerClosed, IceDatagramTransport transport, String owner,
                        String threadName) {
        this.handshake = handshake;
        this.peerClosed = peerClosed;
        this.transport = transport;
        this.owner = owner;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** The bridge as DTLS server: a browser's endpoint, or the passive side of a relay. */
    static DtlsSession server(DtlsSrtpServer server, IceDatagramTransport transport, String endpointId) {
        return new DtlsSession(t -> new DTLSServerProtocol().accept(server, t), server::isPeerClosed, transport,
                "endpoint " + endpointId, threadName(endpointId));
    }

    /** The bridge as DTLS client: the controlling side of a relay to another bridge. */
    static DtlsSession client(DtlsSrtpClient client, IceDatagramTransport transport, String transportId) {
        return new DtlsSession(t -> new DTLSClientProtocol().connect(client, t), client::isPeerClosed, transport,
                "transport " + transportId + " (client)", "dtls-client-" + transportId);
    }

    static String threadName(String endpointId) {
        return "dtls-" + endpointId;
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            DTLSTransport dtls = handshake.run(transport);
            association = dtls;
            log.debug("{}: DTLS handshake complete", owner);
            byte[] discard = new byte[dtls.getReceiveLimit()];
            while (!closed && !peerClosed.getAsBoolean()) {
                dtls.receive(discard, 0, discard.length, READ_WAIT_MILLIS);
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("{}: DTLS failed", owner, e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        transport.failFast();
        DTLSTransport dtls = association;
        if (dtls != null) {
            try {
                dtls.close(); // sends close_notify so the peer learns at once
            } catch (IOException e) {
                log.debug("{}: DTLS close", owner, e);
            }
        }
        transport.close();
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("{}: DTLS thread did not stop", owner);
        }
    }
}
