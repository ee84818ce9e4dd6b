package io.livedesk.media.bridge;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.transport.BridgeCertificate;
import io.livedesk.media.transport.DtlsFingerprint;
import io.livedesk.media.transport.DtlsRole;
import io.livedesk.media.transport.IceCandidateInfo;
import io.livedesk.media.transport.MediaPacketListener;
import io.livedesk.media.transport.UdpTransportHarvester;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A relay's transport to another bridge: ICE + DTLS-SRTP as an endpoint's, but bridge to bridge, so both roles are
 * this bridge's to take. ICE runs on a full ice4j agent (never the ICE-lite port: a lite agent sends no checks, so
 * two lite bridges could never connect, and the controlling side must send them). The controlling side says
 * {@code setup:active} and the controlled side {@code setup:passive}; once the focus swapped the two descriptions,
 * the other side's {@code setup} decides: {@code passive} makes this side the DTLS client, {@code active} the server
 * ({@code actpass}, what a Jitsi Videobridge may say, leaves it to ICE: the controlling side is the client).
 */
final class RelayLink extends MediaTransportLink {
    private final boolean controlling;
    private String remoteUfrag;
    private volatile DtlsRole role;

    RelayLink(String transportId, UdpTransportHarvester port, BridgeCertificate certificate, boolean controlling,
              MediaPacketListener listener) {
        super(port.relayTransport(transportId, certificate, controlling, listener));
        this.controlling = controlling;
    }

    /** The setup this side announces: the DTLS role it expects to take. */
    SetupRole localSetup() {
        return controlling ? SetupRole.ACTIVE : SetupRole.PASSIVE;
    }

    /** This bridge's side, for the reply (and, through the focus, the other bridge). */
    TransportDescription localDescription() {
        List<TransportDescription.Candidate> candidates = new ArrayList<>();
        for (IceCandidateInfo c : transport.localCandidates()) {
            candidates.add(new TransportDescription.Candidate(c.foundation(), c.componentId(),
                    c.transport().toLowerCase(Locale.ROOT), c.priority(), c.address(), c.port(),
                    c.type().toLowerCase(Locale.ROOT)));
        }
        return new TransportDescription(transport.localUfrag(), transport.localPassword(),
                List.of(new TransportDescription.Fingerprint(TransportLink.FINGERPRINT_HASH,
                        transport.localFingerprint(), localSetup())),
                candidates, true, false);
    }

    /**
     * The DTLS role this side takes against a peer that says {@code remote}; a peer that claims the role this side
     * announced is refused, as the handshake could never complete.
     */
    static DtlsRole roleAgainst(String relayId, boolean controlling, SetupRole remote) throws BridgeException.BadRequest {
        SetupRole local = controlling ? SetupRole.ACTIVE : SetupRole.PASSIVE;
        return switch (remote) {
            case PASSIVE -> {
                if (local == SetupRole.PASSIVE) {
                    throw new BridgeException.BadRequest("relay " + relayId
                            + ": both sides are passive (was ice-controlling true on exactly one side?)");
                }
                yield DtlsRole.CLIENT;
            }
            case ACTIVE -> {
                if (local == SetupRole.ACTIVE) {
                    throw new BridgeException.BadRequest("relay " + relayId
                            + ": both sides are active (was ice-controlling true on exactly one side?)");
                }
                yield DtlsRole.SERVER;
            }
            case ACTPASS -> controlling ? DtlsRole.CLIENT : DtlsRole.SERVER;
            default -> throw new BridgeException.BadRequest("relay " + relayId + ": setup " + remote.attributeValue()
                    + " is not a DTLS role");
        };
    }

    /** Checks the other bridge's transport before anything is changed. */
    static void validateRemote(String relayId, boolean controlling, TransportDescription remote)
            throws BridgeException.BadRequest {
        if (remote.ufrag() == null || remote.ufrag().isBlank() || remote.pwd() == null || remote.pwd().isBlank()) {
            throw new BridgeException.BadRequest("relay " + relayId + ": transport needs ufrag and pwd");
        }
        if (remote.fingerprints().isEmpty()) {
            throw new BridgeException.BadRequest("relay " + relayId + ": transport needs a DTLS fingerprint");
        }
        if (remote.iceLite()) {
            // Our relay agent is full ICE; a lite peer is fine only if this side controls.
            if (!controlling) {
                throw new BridgeException.BadRequest("relay " + relayId
                        + ": the other side is ICE-lite, so this side must be ice-controlling");
            }
        }
        roleAgainst(relayId, controlling, remote.fingerprints().get(0).setup());
    }

    /**
     * Gives the transport the other bridge's parameters and starts ICE and DTLS in the role they call for. The same
     * parameters again are a no-op; different ones are refused (a relay is re-created, not restarted).
     */
    synchronized void connect(String relayId, TransportDescription remote) throws BridgeException.BadRequest {
        if (remoteUfrag != null) {
            if (remoteUfrag.equals(remote.ufrag())) {
                return;
            }
            throw new BridgeException.BadRequest("relay " + relayId
                    + ": its transport is already set; expire and re-create the relay to change it");
        }
        DtlsRole dtlsRole = roleAgainst(relayId, controlling, remote.fingerprints().get(0).setup());
        List<IceCandidateInfo> candidates = new ArrayList<>();
        for (TransportDescription.Candidate c : remote.candidates()) {
            candidates.add(new IceCandidateInfo(c.foundation(), c.component(), c.protocol(), c.priority(), c.ip(),
                    c.port(), c.type()));
        }
        TransportDescription.Fingerprint fp = remote.fingerprints().get(0);
        transport.setRemote(remote.ufrag(), remote.pwd(), candidates,
                new DtlsFingerprint(fp.hash().toLowerCase(Locale.ROOT), fp.fingerprint()));
        transport.start(dtlsRole);
        remoteUfrag = remote.ufrag();
        role = dtlsRole;
    }

    /** The DTLS role taken; null until the other side's transport arrived. */
    DtlsRole role() {
        return role;
    }
}
