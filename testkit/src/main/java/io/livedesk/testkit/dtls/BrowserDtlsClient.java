package io.livedesk.testkit.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What Chromium does as DTLS client: DTLS 1.2, ECDHE-ECDSA with AES-128-GCM, use_srtp, an ECDSA
 * client certificate. It accepts any server certificate and keeps it, so a test can check the
 * fingerprint itself; after the handshake it holds the DTLS-SRTP keying material (RFC 5764).
 * Connect it with BouncyCastle's {@code DTLSClientProtocol}.
 */
public final class BrowserDtlsClient extends DefaultTlsClient {
    private final BcTlsCrypto crypto;
    private final DtlsIdentity identity;
    private final int exportLength;
    private final int[] srtpProfiles;
    private volatile byte[] serverCertificate;
    private volatile byte[] exported;

    /**
     * @param exportLength bytes of keying material to export (the SRTP keys and salts of both sides)
     * @param srtpProfiles the {@code SRTPProtectionProfile}s offered, in order of preference
     */
    public BrowserDtlsClient(DtlsIdentity identity, int exportLength, int... srtpProfiles) {
        this(new BcTlsCrypto(new SecureRandom()), identity, exportLength, srtpProfiles);
    }

    private BrowserDtlsClient(BcTlsCrypto crypto, DtlsIdentity identity, int exportLength, int[] srtpProfiles) {
        super(crypto);
        this.crypto = crypto;
        this.identity = identity;
        this.exportLength = exportLength;
        this.srtpProfiles = srtpProfiles.clone();
    }

    /** The exported DTLS-SRTP keying material; null before the handshake completes. */
    public byte[] exported() {
        return exported;
    }

    /** The server's certificate (DER); null before the server sent it. */
    public byte[] serverCertificate() {
        return serverCertificate;
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
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(srtpProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
                serverCertificate = server.getCertificate().getCertificateAt(0).getEncoded();
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(identity.der())});
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        identity.key(), chain, new SignatureAndHashAlgorithm(HashAlgorithm.sha256,
                        SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, exportLength);
    }
}
