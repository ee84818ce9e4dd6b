package io.livedesk.media.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
import org.ice4j.util.BufferHandler;

/**
 * One browser's ICE + DTLS-SRTP transport to the bridge (BUNDLE and rtcp-mux: one component).
 *
 * <p>Every non-STUN datagram ice4j hands over is told apart by RFC 7983: DTLS goes to the
 * endpoint's {@link DtlsSession}; SRTP/SRTCP is decrypted with the keys that handshake
 * exported and given to the {@link MediaPacketListener}. {@link #sendRtp}/{@link #sendRtcp}
 * protect and send the other way.
 *
 * <p>Life cycle: construct (harvests the local candidate on the bridge port), put
 * {@link #localUfrag()}, {@link #localPassword()}, {@link #localCandidates()} and the bridge
 * fingerprint in the SDP answer, then {@link #setRemote} with the browser's offer and
 * {@link #start()}; {@link #close()} frees the agent, the DTLS thread and the SRTP contexts.
 */
public final class EndpointTransport implements MediaTransport {
    /**
     * What a closed transport's component is left with: nothing of the bridge. ice4j keeps a freed agent's
     * {@code Component} reachable after {@link Agent#free()} (its static scheduler's queue holds the check list's
     * completion checker for 5 s, and a pace maker cancelled while it runs goes on rescheduling itself for good),
     * and the component's buffer callback was this transport, and through its listener the bridge's endpoint.
     */
    private static final BufferHandler CLOSED = packet -> {
        // A datagram for a freed agent: nothing to do (ice4j's buffers are not ours to return).
    };

    private final String id;
    private final BridgeCertificate certificate;
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final TransportCounters counters = new TransportCounters();
    private final DtlsSrtpEndpoint secure;

    private final UdpTransportHarvester port;
    private final boolean openPaths;
    private DtlsFingerprint remoteFingerprint;

    /**
     * @param controlling false when the browser sent the offer (the offerer controls ICE)
     */
    public EndpointTransport(String id, UdpTransportHarvester port, BridgeCertificate certificate,
                             boolean controlling, MediaPacketListener listener) {
        this(id, port, certificate, controlling, listener, false);
    }

    /** @param openPaths register the remote candidates' addresses on the shared port (a controlling relay) */
    EndpointTransport(String id, UdpTransportHarvester port, BridgeCertificate certificate,
                      boolean controlling, MediaPacketListener listener, boolean openPaths) {
        this.port = port;
        this.openPaths = openPaths;
        this.id = Objects.requireNonNull(id, "id");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
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
        secure = new DtlsSrtpEndpoint(id, certificate, Objects.requireNonNull(listener, "listener"), counters,
                component::send);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String localUfrag() {
        return agent.getLocalUfrag();
    }

    @Override
    public String localPassword() {
        return agent.getLocalPassword();
    }

    /** The bridge's candidates for {@code a=candidate} (one host candidate on the bridge port). */
    @Override
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
    @Override
    public String localFingerprint() {
        return certificate.sha256Fingerprint();
    }

    /**
     * The browser's ICE credentials, candidates and certificate fingerprint from its SDP.
     * Non-UDP, RTCP-component and mDNS (.local) candidates are skipped; checks from such
     * addresses still arrive and ice4j learns them as peer-reflexive.
     */
    @Override
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
            if (openPaths) {
                port.openPath(new java.net.InetSocketAddress(c.address(), c.port()), agent.getLocalUfrag());
            }
        }
        this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** Starts the DTLS server (waiting for the browser's ClientHello) and ICE checks. */
    @Override
    public synchronized void start() {
        start(DtlsRole.SERVER);
    }

    /** Starts DTLS in {@code role} (a relay's controlling side is the client) and ICE checks. */
    @Override
    public synchronized void start(DtlsRole role) {
        if (remoteFingerprint == null) {
            throw new IllegalStateException("setRemote first");
        }
        secure.start(remoteFingerprint, role);
        agent.startConnectivityEstablishment();
    }

    public IceProcessingState iceState() {
        return agent.getState();
    }

    @Override
    public boolean isFailed() {
        return agent.getState() == IceProcessingState.FAILED;
    }

    /** True once DTLS completed and SRTP keys are in place. */
    @Override
    public boolean isSecure() {
        return secure.isSecure();
    }

    @Override
    public TransportCounters.Snapshot counters() {
        return counters.snapshot();
    }

    /** Protects and sends one RTP packet; false (and counted) when it could not be sent. */
    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        return send(buf, off, len, false);
    }

    /** Protects and sends one RTCP (compound) packet; false (and counted) when it could not be sent. */
    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return send(buf, off, len, true);
    }

    private boolean send(byte[] buf, int off, int len, boolean rtcp) {
        return secure.send(buf, off, len, rtcp);
    }

    /** ice4j's receive path for everything that is not STUN. */
    private void onIcePacket(Buffer packet) {
        // Decrypted in place: ice4j's buffer is ours until this callback returns.
        secure.received(packet.getBuffer(), packet.getOffset(), packet.getLength());
    }

    /**
     * Frees the ICE agent (and its candidate on the shared port), the DTLS thread and SRTP state, and detaches
     * this transport from the agent's component, which ice4j may keep for a while after (see {@link #CLOSED}).
     */
    @Override
    public void close() {
        if (secure.isClosed()) {
            return;
        }
        component.setBufferCallback(CLOSED);
        secure.close();
        agent.free();
    }
}
