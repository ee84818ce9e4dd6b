package io.livedesk.media.transport;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import java.util.function.Consumer;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
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
    private static final int SRTP_PROFILE = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
    /** Beyond this a handshake is abandoned; ICE consent would have failed long before. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

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
        return HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(context), crypto, certificate.privateKey(), certificate.tlsChain(crypto),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
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
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "browser sent no certificate");
        }
        byte[] der = clientCertificate.getCertificateAt(0).getEncoded();
        if (!remoteFingerprint.matches(der)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "certificate does not match the SDP fingerprint " + remoteFingerprint.hashFunction());
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null || !contains(offered.getProtectionProfiles(), SRTP_PROFILE)) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offers no usable SRTP profile");
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {SRTP_PROFILE}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeys.MATERIAL_LENGTH);
        onKeys.accept(SrtpKeys.fromExportedMaterial(material));
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        if (description == AlertDescription.close_notify) {
            log.debug("endpoint {}: bridge closed DTLS", endpointId);
            return;
        }
        log.warn("endpoint {}: DTLS alert raised: {} {} ({})", endpointId, AlertLevel.getText(level),
                AlertDescription.getText(description), message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            peerClosed = true;
            log.debug("endpoint {}: browser closed DTLS", endpointId);
        } else {
            log.warn("endpoint {}: DTLS alert received: {} {}", endpointId, AlertLevel.getText(level),
                    AlertDescription.getText(description));
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
