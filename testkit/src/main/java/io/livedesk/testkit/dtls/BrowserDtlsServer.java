package io.livedesk.testkit.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The browser's other DTLS role: what Chromium does when the remote side's SDP makes it the DTLS server
 * (it offered {@code a=setup:actpass} and was answered {@code active}, as Janus answers). DTLS 1.2,
 * ECDHE-ECDSA with AES-128-GCM and its ECDSA certificate, use_srtp with the first of its profiles the client
 * offers, and a request for the client's certificate (RFC 5763 requires mutual authentication). It accepts
 * any client certificate and keeps it; after the handshake it holds the DTLS-SRTP keying material
 * (RFC 5764). Accept with BouncyCastle's {@code DTLSServerProtocol}.
 */
public final class BrowserDtlsServer extends DefaultTlsServer {
    private final BcTlsCrypto crypto;
    private final DtlsIdentity identity;
    private final int exportLength;
    private final int[] srtpProfiles;
    private final int handshakeTimeoutMillis;
    private volatile int selectedProfile = -1;
    private volatile byte[] clientCertificate;
    private volatile byte[] exported;

    /**
     * @param exportLength           bytes of keying material to export (the SRTP keys and salts of both sides)
     * @param handshakeTimeoutMillis how long the handshake may take before it fails (0: no limit)
     * @param srtpProfiles           the {@code SRTPProtectionProfile}s it accepts, in order of preference
     */
    public BrowserDtlsServer(DtlsIdentity identity, int exportLength, int handshakeTimeoutMillis, int... srtpProfiles) {
        this(new BcTlsCrypto(new SecureRandom()), identity, exportLength, handshakeTimeoutMillis, srtpProfiles);
    }

    private BrowserDtlsServer(BcTlsCrypto crypto, DtlsIdentity identity, int exportLength, int handshakeTimeoutMillis,
                              int[] srtpProfiles) {
        super(crypto);
        this.crypto = crypto;
        this.identity = identity;
        this.exportLength = exportLength;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.srtpProfiles = srtpProfiles.clone();
    }

    /** The exported DTLS-SRTP keying material; null before the handshake completes. */
    public byte[] exported() {
        return exported;
    }

    /** The client's certificate (DER); null before the client sent it. */
    public byte[] clientCertificate() {
        return clientCertificate;
    }

    /** The SRTP protection profile chosen from the client's offer; -1 before its hello. */
    public int selectedProfile() {
        return selectedProfile;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the client offered no use_srtp");
        }
        for (int mine : srtpProfiles) {
            for (int theirs : offered.getProtectionProfiles()) {
                if (mine == theirs) {
                    selectedProfile = mine;
                    return;
                }
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP protection profile in common");
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {selectedProfile}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(identity.der())});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, identity.key(), chain,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
        algorithms.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algorithms.add(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate certificate) throws IOException {
        if (!certificate.isEmpty()) {
            clientCertificate = certificate.getCertificateAt(0).getEncoded();
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, exportLength);
    }
}
