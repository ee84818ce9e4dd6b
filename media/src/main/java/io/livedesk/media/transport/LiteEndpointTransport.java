package io.livedesk.media.transport;

import io.livedesk.media.ice.IceLite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One browser's transport on a {@link LitePort}: the port's ICE-lite agent answers its checks, its DTLS
 * handshake runs over the address the browser nominated, and SRTP ({@link SrtpEndpoint}) is decrypted on the
 * port's I/O thread and protected for sending. The browser's candidates are not needed: a lite agent learns
 * the address from the checks, which is also why candidates trickled after the offer cost nothing here.
 */
final class LiteEndpointTransport implements MediaTransport {
    /** RFC 7675: consent expires 30 s after the last check that succeeded. */
    static final long CONSENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private final String id;
    private final LitePort port;
    private final BridgeCertificate certificate;
    private final TransportCounters counters = new TransportCounters();
    private final DtlsSrtpEndpoint secure;
    private volatile String localUfrag = iceString(8);
    private volatile String localPassword = iceString(24);
    private volatile IceLite.Path path;
    private DtlsFingerprint remoteFingerprint;

    LiteEndpointTransport(String id, LitePort port, BridgeCertificate certificate, MediaPacketListener listener) {
        this.id = Objects.requireNonNull(id, "id");
        this.port = port;
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.secure = new DtlsSrtpEndpoint(id, certificate, Objects.requireNonNull(listener, "listener"), counters,
                this::sendDatagram);
    }

    private static String iceString(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(out);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String localUfrag() {
        return localUfrag;
    }

    @Override
    public String localPassword() {
        return localPassword;
    }

    @Override
    public List<IceCandidateInfo> localCandidates() {
        // One host candidate on the port, with the priority RFC 8445 5.1.2 gives a host candidate of component 1.
        return List.of(new IceCandidateInfo("1", 1, "udp", 2_130_706_431L, port.address(), port.port(), "host"));
    }

    @Override
    public String localFingerprint() {
        return certificate.sha256Fingerprint();
    }

    /** The browser's candidates are ignored: the checks tell where it is (see the class comment). */
    @Override
    public synchronized void setRemote(String ufrag, String password, List<IceCandidateInfo> candidates,
                                       DtlsFingerprint fingerprint) {
        this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        if (path == null) {
            path = port.register(localUfrag, localPassword, ufrag, this);
        }
    }

    @Override
    public synchronized boolean restartIce(String remoteUfrag, String remotePassword) {
        IceLite.Path old = path;
        if (old == null || secure.isClosed()) {
            return false;
        }
        String oldUfrag = localUfrag;
        localUfrag = iceString(8);
        localPassword = iceString(24);
        path = port.restart(old, oldUfrag, localUfrag, localPassword, remoteUfrag);
        return true;
    }

    @Override
    public synchronized void start() {
        if (remoteFingerprint == null) {
            throw new IllegalStateException("setRemote first");
        }
        secure.start(remoteFingerprint);
    }

    /** A datagram the port matched to this endpoint's address (on the port's I/O thread). */
    void received(byte[] buf, int off, int len) {
        secure.received(buf, off, len);
    }

    /**
     * Datagrams out (DTLS records, protected packets), to the nominated address; before any check there is none,
     * and the handshake's sender waits and retries.
     */
    private void sendDatagram(byte[] buf, int off, int len) throws IOException {
        IceLite.Path p = path;
        InetSocketAddress to = p == null ? null : p.selected();
        if (to == null) {
            throw new IOException("No valid pair.");
        }
        port.send(buf, off, len, to);
    }

    @Override
    public boolean isSecure() {
        return secure.isSecure();
    }

    /** Consent lost: checks had come, and none for {@link #CONSENT_TIMEOUT_NANOS}. */
    @Override
    public boolean isFailed() {
        IceLite.Path p = path;
        return p != null && p.selected() != null && !p.hasConsent(System.nanoTime(), CONSENT_TIMEOUT_NANOS);
    }

    @Override
    public TransportCounters.Snapshot counters() {
        return counters.snapshot();
    }

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        return send(buf, off, len, false);
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return send(buf, off, len, true);
    }

    private boolean send(byte[] buf, int off, int len, boolean rtcp) {
        return secure.send(buf, off, len, rtcp);
    }

    @Override
    public void close() {
        if (secure.isClosed()) {
            return;
        }
        secure.close();
        IceLite.Path p = path;
        if (p != null) {
            port.unregister(p, localUfrag);
        }
    }
}
