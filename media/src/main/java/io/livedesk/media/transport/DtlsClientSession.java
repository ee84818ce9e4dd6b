package io.livedesk.media.transport;

import java.io.IOException;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one relay's DTLS client on its own thread, as {@link DtlsServerSession} runs a server: BouncyCastle's
 * DTLS API is blocking. The ClientHello goes out at once; until ICE has a pair its sends are retried by the
 * {@link IceDatagramTransport}, and BouncyCastle retransmits lost flights. After the handshake the thread keeps
 * reading, so the server's retransmitted last flight is answered and a close_notify is seen.
 */
final class DtlsClientSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsClientSession.class);
    private static final int READ_WAIT_MILLIS = 500;
    private static final long JOIN_MILLIS = 2_000;

    private final DtlsSrtpClient client;
    private final IceDatagramTransport transport;
    private final String transportId;
    private final Thread thread;
    private volatile boolean closed;
    private volatile DTLSTransport association;

    DtlsClientSession(DtlsSrtpClient client, IceDatagramTransport transport, String transportId) {
        this.client = client;
        this.transport = transport;
        this.transportId = transportId;
        this.thread = new Thread(this::run, "dtls-client-" + transportId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            DTLSTransport dtls = new DTLSClientProtocol().connect(client, transport);
            association = dtls;
            log.debug("transport {}: DTLS handshake complete (client)", transportId);
            byte[] discard = new byte[dtls.getReceiveLimit()];
            while (!closed && !client.isPeerClosed()) {
                dtls.receive(discard, 0, discard.length, READ_WAIT_MILLIS);
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("transport {}: DTLS failed (client)", transportId, e);
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
                dtls.close();
            } catch (IOException e) {
                log.debug("transport {}: DTLS close", transportId, e);
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
            log.warn("transport {}: DTLS client thread did not stop", transportId);
        }
    }
}
