package io.livedesk.media.transport;

import java.io.IOException;
import java.util.Hashtable;
import java.util.function.Consumer;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
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
    private static final int SRTP_PROFILE = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

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
        return HANDSHAKE_TIMEOUT_MILLIS;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {SRTP_PROFILE}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1
                || chosen.getProtectionProfiles()[0] != SRTP_PROFILE) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no usable SRTP profile");
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                if (server == null || server.getCertificate() == null || server.getCertificate().isEmpty()) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "server sent no certificate");
                }
                if (!remoteFingerprint.matches(server.getCertificate().getCertificateAt(0).getEncoded())) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate,
                            "certificate does not match the relay's fingerprint " + remoteFingerprint.hashFunction());
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        certificate.privateKey(), certificate.tlsChain(crypto),
                        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeys.MATERIAL_LENGTH);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        // SrtpEndpoint decrypts with the "client" half: as the client, that is the server's (the peer's) half.
        onKeys.accept(new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()));
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        if (description == AlertDescription.close_notify) {
            return;
        }
        log.warn("transport {}: DTLS alert raised: {} {} ({})", transportId, AlertLevel.getText(level),
                AlertDescription.getText(description), message, cause);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            peerClosed = true;
        } else {
            log.warn("transport {}: DTLS alert received: {} {}", transportId, AlertLevel.getText(level),
                    AlertDescription.getText(description));
        }
    }
}
