package io.livedesk.media.transport;

import java.io.IOException;

import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one endpoint's DTLS server on its own thread: BouncyCastle's DTLS API is blocking. After
 * the handshake the thread keeps reading, so a client that lost the bridge's last flight gets it
 * retransmitted and a close_notify is seen; WebRTC media sends no DTLS application data.
 */
final class DtlsServerSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsServerSession.class);
    private static final int READ_WAIT_MILLIS = 500;
    private static final long JOIN_MILLIS = 2_000;

    private final DtlsSrtpServer server;
    private final IceDatagramTransport transport;
    private final String endpointId;
    private final Thread thread;
    private volatile boolean closed;
    private volatile DTLSTransport association;

    DtlsServerSession(DtlsSrtpServer server, IceDatagramTransport transport, String endpointId) {
        this.server = server;
        this.transport = transport;
        this.endpointId = endpointId;
        this.thread = new Thread(this::run, threadName(endpointId));
        this.thread.setDaemon(true);
    }

    static String threadName(String endpointId) {
        return "dtls-" + endpointId;
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            DTLSTransport dtls = new DTLSServerProtocol().accept(server, transport);
            association = dtls;
            log.debug("endpoint {}: DTLS handshake complete", endpointId);
            byte[] discard = new byte[dtls.getReceiveLimit()];
            while (!closed && !server.isPeerClosed()) {
                dtls.receive(discard, 0, discard.length, READ_WAIT_MILLIS);
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("endpoint {}: DTLS failed", endpointId, e);
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
                dtls.close(); // sends close_notify so the browser learns at once
            } catch (IOException e) {
                log.debug("endpoint {}: DTLS close", endpointId, e);
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
            log.warn("endpoint {}: DTLS thread did not stop", endpointId);
        }
    }
}
