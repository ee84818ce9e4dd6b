package io.livedesk.testkit.dtls;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A browser's DTLS identity as Chromium makes one: a self-signed ECDSA P-256 certificate, its key,
 * and the sha-256 fingerprint its SDP would carry (upper-case hex, colon-separated).
 */
public record DtlsIdentity(byte[] der, AsymmetricKeyParameter key, String fingerprint) {
    public static DtlsIdentity generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=synthetic");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, random),
                    Date.from(now.minusSeconds(86400)), Date.from(now.plusSeconds(86400)), subject,
                    pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            byte[] der = holder.getEncoded();
            String hex = HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            return new DtlsIdentity(der, PrivateKeyFactory.createKey(pair.getPrivate().getEncoded()), hex);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
