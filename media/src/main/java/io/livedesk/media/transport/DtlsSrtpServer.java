package io.livedesk.media.transport;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import java.util.function.Consumer;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's side of a DTLS-SRTP handshake (RFC 5764). The bridge answers with
 * {@code a=setup:passive}, so the browser is the DTLS client and this is the server: DTLS 1.2,
 * ECDHE-ECDSA suites with the bridge certificate, the use_srtp extension with
 * SRTP_AES128_CM_HMAC_SHA1_80, and a client certificate that must match the browser's SDP
 * fingerprint. On completion it exports the SRTP keys.
 */
final class DtlsSrtpServer extends DefaultTlsServer {
    private static final Logger log = LoggerFactory.getLogger(DtlsSrtpServer.class);

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    };

    private final BcTlsCrypto crypto;
    private final BridgeCertificate certificate;
    private final DtlsFingerprint remoteFingerprint;
    private final Consumer<SrtpKeys> onKeys;
    private final String endpointId;
    private volatile boolean peerClosed;

    DtlsSrtpServer(BcTlsCrypto crypto, BridgeCertificate certificate, DtlsFingerprint remoteFingerprint,
                   Consumer<SrtpKeys> onKeys, String endpointId) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.onKeys = onKeys;
        this.endpointId = endpointId;
    }

    /** True once the browser sent close_notify: the DTLS association is over. */
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
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return DtlsSrtpPeers.credentials(context, crypto, certificate);
    }

    /** WebRTC requires the client's certificate: it is what the SDP fingerprint authenticates. */
    @Override
    public CertificateRequest getCertificateRequest() {
        @SuppressWarnings("unchecked")
        Vector<SignatureAndHashAlgorithm> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(
                new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign}, algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        DtlsSrtpPeers.requireFingerprint(clientCertificate, remoteFingerprint, "client");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null || !contains(offered.getProtectionProfiles(), DtlsSrtpPeers.SRTP_PROFILE)) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offers no usable SRTP profile");
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        return DtlsSrtpPeers.withUseSrtp(super.getServerExtensions());
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        onKeys.accept(DtlsSrtpPeers.exportedKeys(context));
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        DtlsSrtpPeers.alertRaised(log, "endpoint " + endpointId, level, description, message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (DtlsSrtpPeers.alertReceived(log, "endpoint " + endpointId, level, description)) {
            peerClosed = true;
        }
    }

    private static boolean contains(int[] values, int wanted) {
        for (int v : values) {
            if (v == wanted) {
                return true;
            }
        }
        return false;
    }
}
