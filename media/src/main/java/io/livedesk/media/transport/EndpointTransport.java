package io.livedesk.media.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.livedesk.media.rtp.PacketKind;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.util.Buffer;
import org.jitsi.srtp.SrtpErrorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's ICE + DTLS-SRTP transport to the bridge (BUNDLE and rtcp-mux: one component).
 *
 * <p>Every non-STUN datagram ice4j hands over is told apart by RFC 7983: DTLS goes to the
 * endpoint's {@link DtlsServerSession}; SRTP/SRTCP is decrypted with the keys that handshake
 * exported and given to the {@link MediaPacketListener}. {@link #sendRtp}/{@link #sendRtcp}
 * protect and send the other way.
 *
 * <p>Life cycle: construct (harvests the local candidate on the bridge port), put
 * {@link #localUfrag()}, {@link #localPassword()}, {@link #localCandidates()} and the bridge
 * fingerprint in the SDP answer, then {@link #setRemote} with the browser's offer and
 * {@link #start()}; {@link #close()} frees the agent, the DTLS thread and the SRTP contexts.
 */
public final class EndpointTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointTransport.class);

    /** SRTP that beats the handshake's end; a few packets were seen, more means something is off. */
    private static final int EARLY_PACKET_LIMIT = 32;

    private final String id;
    private final BridgeCertificate certificate;
    private final MediaPacketListener listener;
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final IceDatagramTransport dtlsTransport;
    private final TransportCounters counters = new TransportCounters();

    private final Object keyLock = new Object();
    /** Copies of SRTP/SRTCP received before keys; guarded by keyLock. */
    private final ArrayDeque<byte[]> earlyPackets = new ArrayDeque<>();
    private volatile SrtpSession srtp;
    private volatile boolean closed;

    private DtlsFingerprint remoteFingerprint;
    private DtlsServerSession dtls;

    /**
     * @param controlling false when the browser sent the offer (the offerer controls ICE)
     */
    public EndpointTransport(String id, UdpTransportHarvester port, BridgeCertificate certificate,
                             boolean controlling, MediaPacketListener listener) {
        this.id = Objects.requireNonNull(id, "id");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.listener = Objects.requireNonNull(listener, "listener");
        agent = new Agent();
        try {
            agent.setUseDynamicPorts(false);
            agent.addCandidateHarvester(port.harvester());
            agent.setControlling(controlling);
            stream = agent.createMediaStream("media-" + id);
            component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        } catch (IOException e) {
            agent.free();
            throw new UncheckedIOException("endpoint " + id + ": no candidate on the bridge port", e);
        } catch (RuntimeException e) {
            agent.free();
            throw e;
        }
        component.setBufferCallback(this::onIcePacket);
        dtlsTransport = new IceDatagramTransport(component::send);
    }

    public String id() {
        return id;
    }

    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    public String localPassword() {
        return agent.getLocalPassword();
    }

    /** The bridge's candidates for {@code a=candidate} (one host candidate on the bridge port). */
    public List<IceCandidateInfo> localCandidates() {
        List<IceCandidateInfo> result = new ArrayList<>();
        for (LocalCandidate c : component.getLocalCandidates()) {
            TransportAddress address = c.getTransportAddress();
            result.add(new IceCandidateInfo(c.getFoundation(), component.getComponentID(),
                    c.getTransport().toString(), c.getPriority(), address.getHostAddress(), address.getPort(),
                    c.getType().toString()));
        }
        return result;
    }

    /** The bridge certificate's fingerprint for {@code a=fingerprint:sha-256}. */
    public String localFingerprint() {
        return certificate.sha256Fingerprint();
    }

    /**
     * The browser's ICE credentials, candidates and certificate fingerprint from its SDP.
     * Non-UDP, RTCP-component and mDNS (.local) candidates are skipped; checks from such
     * addresses still arrive and ice4j learns them as peer-reflexive.
     */
    public synchronized void setRemote(String ufrag, String password, List<IceCandidateInfo> candidates,
                          DtlsFingerprint fingerprint) {
        stream.setRemoteUfrag(ufrag);
        stream.setRemotePassword(password);
        for (IceCandidateInfo c : candidates) {
            if (!"udp".equals(c.transport().toLowerCase(Locale.ROOT))
                    || c.componentId() != Component.RTP
                    || c.address().endsWith(".local")) {
                continue;
            }
            component.addRemoteCandidate(new RemoteCandidate(
                    new TransportAddress(c.address(), c.port(), Transport.UDP), component,
                    CandidateType.parse(c.type()), c.foundation(), c.priority(), null, ufrag));
        }
        this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** Starts the DTLS server (waiting for the browser's ClientHello) and ICE checks. */
    public synchronized void start() {
        if (remoteFingerprint == null) {
            throw new IllegalStateException("setRemote first");
        }
        if (dtls != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        DtlsSrtpServer server = new DtlsSrtpServer(
                new BcTlsCrypto(new SecureRandom()), certificate, remoteFingerprint, this::installKeys, id);
        dtls = new DtlsServerSession(server, dtlsTransport, id);
        dtls.start();
        agent.startConnectivityEstablishment();
    }

    public IceProcessingState iceState() {
        return agent.getState();
    }

    /** True once DTLS completed and SRTP keys are in place. */
    public boolean isSecure() {
        return srtp != null;
    }

    public TransportCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /** Protects and sends one RTP packet; false (and counted) when it could not be sent. */
    public boolean sendRtp(byte[] buf, int off, int len) {
        return send(buf, off, len, false);
    }

    /** Protects and sends one RTCP (compound) packet; false (and counted) when it could not be sent. */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return send(buf, off, len, true);
    }

    private boolean send(byte[] buf, int off, int len, boolean rtcp) {
        SrtpSession session = srtp;
        if (session == null || closed) {
            counters.dropped(TransportDrop.SEND_FAILED);
            return false;
        }
        PacketBuffer packet = PacketBuffer.copyOf(buf, off, len, SrtpSession.MAX_PROTECTION_OVERHEAD);
        try {
            SrtpErrorStatus status = rtcp ? session.protectRtcp(packet) : session.protectRtp(packet);
            if (status != SrtpErrorStatus.OK) {
                counters.dropped(TransportDrop.SEND_FAILED);
                return false;
            }
            component.send(packet.getBuffer(), packet.getOffset(), packet.getLength());
        } catch (GeneralSecurityException | IOException e) {
            counters.dropped(TransportDrop.SEND_FAILED);
            return false;
        }
        if (rtcp) {
            counters.rtcpOut();
        } else {
            counters.rtpOut();
        }
        return true;
    }

    /** ice4j's receive path for everything that is not STUN. */
    private void onIcePacket(Buffer packet) {
        if (closed) {
            return;
        }
        byte[] buf = packet.getBuffer();
        int off = packet.getOffset();
        int len = packet.getLength();
        switch (PacketKind.classify(buf, off, len)) {
            case DTLS -> dtlsTransport.deliver(buf, off, len);
            case RTP -> receiveSrtp(buf, off, len, false);
            case RTCP -> receiveSrtp(buf, off, len, true);
            case STUN -> {
                // ice4j answers STUN itself; one reaching here arrived after the agent ended.
            }
            default -> counters.dropped(TransportDrop.UNKNOWN_KIND);
        }
    }

    private void receiveSrtp(byte[] buf, int off, int len, boolean rtcp) {
        SrtpSession session = srtp;
        if (session == null) {
            synchronized (keyLock) {
                session = srtp;
                if (session == null) {
                    holdUntilKeys(buf, off, len);
                    return;
                }
            }
        }
        // Decrypted in place: ice4j's buffer is ours until this callback returns.
        unprotectAndDeliver(session, new PacketBuffer(buf, off, len), rtcp);
    }

    /** Called with keyLock held. */
    private void holdUntilKeys(byte[] buf, int off, int len) {
        if (closed || earlyPackets.size() >= EARLY_PACKET_LIMIT) {
            counters.dropped(TransportDrop.TOO_EARLY);
            return;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        earlyPackets.add(copy);
    }

    /** Called on the DTLS thread when the handshake completes. */
    private void installKeys(SrtpKeys keys) {
        SrtpSession session = new SrtpSession(keys, EndpointTransport.class.getName() + "." + id);
        List<byte[]> held;
        synchronized (keyLock) {
            if (closed) {
                session.close();
                return;
            }
            srtp = session;
            held = new ArrayList<>(earlyPackets);
            earlyPackets.clear();
        }
        log.debug("endpoint {}: SRTP keys installed, {} early packets", id, held.size());
        for (byte[] p : held) {
            unprotectAndDeliver(session, new PacketBuffer(p, 0, p.length),
                    PacketKind.classify(p, 0, p.length) == PacketKind.RTCP);
        }
    }

    private void unprotectAndDeliver(SrtpSession session, PacketBuffer packet, boolean rtcp) {
        SrtpErrorStatus status;
        try {
            status = rtcp ? session.unprotectRtcp(packet) : session.unprotectRtp(packet);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A RuntimeException here is a context freed by a concurrent close() or a malformed packet.
            counters.dropped(TransportDrop.SRTP_INVALID);
            return;
        }
        if (status != SrtpErrorStatus.OK) {
            counters.dropped(dropFor(status));
            return;
        }
        try {
            if (rtcp) {
                counters.rtcpIn();
                listener.onRtcp(packet.getBuffer(), packet.getOffset(), packet.getLength());
            } else {
                counters.rtpIn();
                listener.onRtp(packet.getBuffer(), packet.getOffset(), packet.getLength());
            }
        } catch (RuntimeException e) {
            // Never let a listener bug kill ice4j's receive thread for every endpoint on the port.
            log.error("endpoint {}: media listener failed", id, e);
        }
    }

    private static TransportDrop dropFor(SrtpErrorStatus status) {
        return switch (status) {
            case AUTH_FAIL -> TransportDrop.SRTP_AUTH_FAILED;
            case REPLAY_FAIL, REPLAY_OLD -> TransportDrop.SRTP_REPLAY;
            default -> TransportDrop.SRTP_INVALID;
        };
    }

    /** Frees the ICE agent (and its candidate on the shared port), the DTLS thread and SRTP state. */
    @Override
    public void close() {
        SrtpSession session;
        synchronized (keyLock) {
            if (closed) {
                return;
            }
            closed = true;
            session = srtp;
            srtp = null;
            earlyPackets.clear();
        }
        DtlsServerSession dtlsSession;
        synchronized (this) {
            dtlsSession = dtls;
        }
        if (dtlsSession != null) {
            dtlsSession.close();
        } else {
            dtlsTransport.close();
        }
        agent.free();
        if (session != null) {
            session.close();
        }
    }
}
