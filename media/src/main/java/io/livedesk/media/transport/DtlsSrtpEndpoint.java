package io.livedesk.media.transport;

import io.livedesk.media.rtp.PacketKind;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.security.SecureRandom;

/**
 * The DTLS-SRTP half of an endpoint's transport, whatever carries its datagrams (an ice4j component or the
 * ICE-lite port): the handshake as DTLS server, the SRTP contexts it keys ({@link SrtpEndpoint}), and the RFC 7983
 * demux of what arrives. Shared by both {@link MediaTransport}s.
 */
final class DtlsSrtpEndpoint {
    /** Where protected packets and DTLS records leave. */
    @FunctionalInterface
    interface Wire {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    private final String id;
    private final BridgeCertificate certificate;
    private final TransportCounters counters;
    private final SrtpEndpoint srtp;
    private final IceDatagramTransport dtlsTransport;
    private final Wire wire;
    /** The handshake's session, as server or (the controlling side of a relay) as client. */
    private DtlsSession dtls;

    DtlsSrtpEndpoint(String id, BridgeCertificate certificate, MediaPacketListener listener, TransportCounters counters,
                     Wire wire) {
        this.id = id;
        this.certificate = certificate;
        this.counters = counters;
        this.srtp = new SrtpEndpoint(id, listener, counters);
        this.wire = wire;
        this.dtlsTransport = new IceDatagramTransport(wire::send);
    }

    /** Starts the DTLS server, waiting for the browser's ClientHello; its certificate must match {@code remote}. */
    synchronized void start(DtlsFingerprint remote) {
        start(remote, DtlsRole.SERVER);
    }

    /**
     * Starts the handshake in {@code role}: as server, waiting for the peer's ClientHello; as client (a relay to
     * another bridge), sending one. Either way the peer's certificate must match {@code remote}.
     */
    synchronized void start(DtlsFingerprint remote, DtlsRole role) {
        if (dtls != null || srtp.isClosed()) {
            throw new IllegalStateException("already started or closed");
        }
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        dtls = role == DtlsRole.CLIENT
                ? DtlsSession.client(new DtlsSrtpClient(crypto, certificate, remote, srtp::installKeys, id),
                        dtlsTransport, id)
                : DtlsSession.server(new DtlsSrtpServer(crypto, certificate, remote, srtp::installKeys, id),
                        dtlsTransport, id);
        dtls.start();
    }

    /**
     * A datagram of this endpoint that is not STUN (the ICE layer answered those): DTLS to the handshake, SRTP
     * and SRTCP decrypted in place (the buffer must be the caller's to change until this returns).
     */
    void received(byte[] buf, int off, int len) {
        if (srtp.isClosed()) {
            return;
        }
        switch (PacketKind.classify(buf, off, len)) {
            case DTLS -> dtlsTransport.deliver(buf, off, len);
            case RTP -> srtp.receive(buf, off, len, false);
            case RTCP -> srtp.receive(buf, off, len, true);
            case STUN -> {
                // ice4j answers STUN itself; one reaching here arrived after the agent ended.
            }
            default -> counters.dropped(TransportDrop.UNKNOWN_KIND);
        }
    }

    /** Protects and sends one RTP or RTCP packet; false (and counted) when it could not be. */
    boolean send(byte[] buf, int off, int len, boolean rtcp) {
        PacketBuffer packet = srtp.protect(buf, off, len, rtcp);
        if (packet == null) {
            return false;
        }
        try {
            wire.send(packet.getBuffer(), packet.getOffset(), packet.getLength());
        } catch (IOException e) {
            counters.dropped(TransportDrop.SEND_FAILED);
            return false;
        }
        srtp.sent(rtcp);
        return true;
    }

    boolean isSecure() {
        return srtp.isSecure();
    }

    boolean isClosed() {
        return srtp.isClosed();
    }

    /** Frees the SRTP contexts and the handshake (thread or queue). Idempotent. */
    void close() {
        if (srtp.isClosed()) {
            return;
        }
        srtp.close();
        AutoCloseable session;
        synchronized (this) {
            session = dtls;
        }
        if (session != null) {
            try {
                session.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing DTLS of " + id, e); // neither session throws
            }
        } else {
            dtlsTransport.close();
        }
    }
}
