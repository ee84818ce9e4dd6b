package io.livedesk.media.transport;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The bridge's DTLS identity: one ECDSA P-256 self-signed certificate per bridge process.
 * WebRTC authenticates it by the fingerprint carried in SDP, not by a CA, so self-signed is
 * what every SFU uses; one per process keeps SDP answers cheap (no key generation per call).
 */
public final class BridgeCertificate {
    /** Browsers reject certificates older than their clock skew allows; 30 days is plenty. */
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final String sha256Fingerprint;

    private BridgeCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.sha256Fingerprint = CertificateFingerprint.of("sha-256", der);
    }

    /** Generates a fresh key pair and certificate; call once at bridge start-up. */
    public static BridgeCertificate generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();

            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=livedesk-bridge");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, random),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
            return new BridgeCertificate(
                    holder.getEncoded(), PrivateKeyFactory.createKey(keyPair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the bridge's DTLS certificate", e);
        }
    }

    /** The value of {@code a=fingerprint:sha-256 ...}: upper-case hex bytes joined by colons. */
    public String sha256Fingerprint() {
        return sha256Fingerprint;
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The certificate as a one-entry chain for BouncyCastle's TLS layer. */
    Certificate tlsChain(BcTlsCrypto crypto) throws IOException {
        return new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
    }
}
