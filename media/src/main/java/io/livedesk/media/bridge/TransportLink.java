package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.transport.BridgeCertificate;
import io.livedesk.media.transport.DtlsFingerprint;
import io.livedesk.media.transport.IceCandidateInfo;
import io.livedesk.media.transport.MediaPacketListener;
import io.livedesk.media.transport.EndpointTransport;
import io.livedesk.media.transport.MediaPort;
import io.livedesk.media.transport.MediaTransport;
import org.ice4j.ice.IceProcessingState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link EndpointLink} over a real {@link MediaTransport} of the bridge's {@link MediaPort}, plus the translation between the API's
 * {@link TransportDescription} and what the transport takes. The bridge is always the DTLS server,
 * so its description says {@code actpass} and the browser's must be {@code active} or {@code actpass}.
 */
final class TransportLink extends MediaTransportLink {
    static final String FINGERPRINT_HASH = "sha-256";

    private final boolean iceLite;
    private String remoteUfrag;
    private String remoteFingerprint;

    TransportLink(String transportId, MediaPort port, BridgeCertificate certificate,
                  boolean controlling, MediaPacketListener listener) {
        super(port.transport(transportId, certificate, controlling, listener));
        this.iceLite = port.iceLite();
    }

    /** The bridge's side, for the reply and the browser's SDP. */
    TransportDescription localDescription() {
        List<TransportDescription.Candidate> candidates = new ArrayList<>();
        for (IceCandidateInfo c : transport.localCandidates()) {
            candidates.add(new TransportDescription.Candidate(c.foundation(), c.componentId(),
                    c.transport().toLowerCase(Locale.ROOT), c.priority(), c.address(), c.port(),
                    c.type().toLowerCase(Locale.ROOT)));
        }
        return new TransportDescription(transport.localUfrag(), transport.localPassword(),
                List.of(new TransportDescription.Fingerprint(FINGERPRINT_HASH, transport.localFingerprint(), SetupRole.ACTPASS)),
                candidates, true, iceLite);
    }

    /** Checks a browser's transport before anything is changed. */
    static void validateRemote(String endpointId, TransportDescription remote) throws BridgeException.BadRequest {
        if (remote.ufrag() == null || remote.ufrag().isBlank() || remote.pwd() == null || remote.pwd().isBlank()) {
            throw new BridgeException.BadRequest("endpoint " + endpointId + ": transport needs ufrag and pwd");
        }
        if (remote.fingerprints().isEmpty()) {
            throw new BridgeException.BadRequest("endpoint " + endpointId + ": transport needs a DTLS fingerprint");
        }
        TransportDescription.Fingerprint fp = remote.fingerprints().get(0);
        if (fp.hash() == null || fp.fingerprint() == null) {
            throw new BridgeException.BadRequest("endpoint " + endpointId + ": incomplete fingerprint");
        }
        if (fp.setup() == SetupRole.PASSIVE) {
            throw new BridgeException.BadRequest("endpoint " + endpointId
                    + ": setup passive is not supported, the bridge is always the DTLS server");
        }
        if (fp.setup() == SetupRole.ACTPASS) {
            // What an offer says, not a role: Jitsi Videobridge takes none then, and DTLS never completes there.
            throw new BridgeException.BadRequest("endpoint " + endpointId
                    + ": setup actpass is not a DTLS role; give the role the browser takes (active)");
        }
        if (!remote.rtcpMux()) {
            throw new BridgeException.BadRequest("endpoint " + endpointId + ": rtcp-mux is required");
        }
    }

    /**
     * Gives the transport the browser's parameters and starts ICE and DTLS. The same parameters again
     * are a no-op; new ICE credentials with the same certificate are an ICE restart, where the transport can
     * (the ICE-lite port): it then has new local credentials for the reply.
     *
     * @return true when ICE was restarted
     */
    synchronized boolean connect(String endpointId, TransportDescription remote) throws BridgeException.BadRequest {
        if (remoteUfrag != null) {
            if (remoteUfrag.equals(remote.ufrag())) {
                return false;
            }
            TransportDescription.Fingerprint fp = remote.fingerprints().get(0);
            if (remoteFingerprint == null || !remoteFingerprint.equalsIgnoreCase(fp.fingerprint())) {
                throw new BridgeException.BadRequest("endpoint " + endpointId
                        + ": a new certificate needs a new endpoint (an ICE restart keeps the DTLS association)");
            }
            if (!transport.restartIce(remote.ufrag(), remote.pwd())) {
                throw new BridgeException.BadRequest("endpoint " + endpointId + ": ICE restart is not supported");
            }
            remoteUfrag = remote.ufrag();
            return true;
        }
        List<IceCandidateInfo> candidates = new ArrayList<>();
        for (TransportDescription.Candidate c : remote.candidates()) {
            candidates.add(new IceCandidateInfo(c.foundation(), c.component(), c.protocol(), c.priority(), c.ip(),
                    c.port(), c.type()));
        }
        TransportDescription.Fingerprint fp = remote.fingerprints().get(0);
        transport.setRemote(remote.ufrag(), remote.pwd(), candidates,
                new DtlsFingerprint(fp.hash().toLowerCase(Locale.ROOT), fp.fingerprint()));
        transport.start();
        remoteUfrag = remote.ufrag();
        remoteFingerprint = fp.fingerprint();
        return false;
    }

    /** The transport itself (tests: that an expired endpoint's transport is collected). */
    MediaTransport mediaTransport() {
        return transport;
    }

    String transportId() {
        return transport.id();
    }

    /** ice4j's agent state (tests); null on the ICE-lite port, which has no agent per endpoint. */
    IceProcessingState iceState() {
        return transport instanceof EndpointTransport e ? e.iceState() : null;
    }
}
