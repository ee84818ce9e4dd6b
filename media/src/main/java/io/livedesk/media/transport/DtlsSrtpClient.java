package io.livedesk.media.transport;

import java.io.IOException;
import java.util.Hashtable;
import java.util.function.Consumer;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's side of a DTLS-SRTP handshake as DTLS client (RFC 5764): only on a relay to another bridge, whose
 * {@link DtlsSrtpServer} answers. The mirror of that server: DTLS 1.2, ECDHE-ECDSA suites, use_srtp with
 * SRTP_AES128_CM_HMAC_SHA1_80, the bridge certificate as client certificate, and the server's certificate checked
 * against the fingerprint the focus passed on. On completion it exports the SRTP keys, turned round: the client
 * half of the material protects what this side sends.
 */
final class DtlsSrtpClient extends DefaultTlsClient {
    private static final Logger log = LoggerFactory.getLogger(DtlsSrtpClient.class);

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    };

    private final BcTlsCrypto crypto;
    private final BridgeCertificate certificate;
    private final DtlsFingerprint remoteFingerprint;
    private final Consumer<SrtpKeys> onKeys;
    private final String transportId;
    private volatile boolean peerClosed;

    DtlsSrtpClient(BcTlsCrypto crypto, BridgeCertificate certificate, DtlsFingerprint remoteFingerprint,
                   Consumer<SrtpKeys> onKeys, String transportId) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.onKeys = onKeys;
        this.transportId = transportId;
    }

    boolean isPeerClosed() {
        return peerClosed;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return DtlsSrtpPeers.HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        return DtlsSrtpPeers.withUseSrtp(super.getClientExtensions());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1
                || chosen.getProtectionProfiles()[0] != DtlsSrtpPeers.SRTP_PROFILE) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no usable SRTP profile");
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                DtlsSrtpPeers.requireFingerprint(server == null ? null : server.getCertificate(), remoteFingerprint,
                        "server");
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return DtlsSrtpPeers.credentials(context, crypto, certificate);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        SrtpKeys keys = DtlsSrtpPeers.exportedKeys(context);
        // SrtpEndpoint decrypts with the "client" half: as the client, that is the server's (the peer's) half.
        onKeys.accept(new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()));
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        DtlsSrtpPeers.alertRaised(log, "transport " + transportId, level, description, message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (DtlsSrtpPeers.alertReceived(log, "transport " + transportId, level, description)) {
            peerClosed = true;
        }
    }
}
