package io.livedesk.media.transport;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;

/**
 * What both sides of the bridge's DTLS-SRTP handshakes do alike ({@link DtlsSrtpServer} toward browsers and
 * relays, {@link DtlsSrtpClient} on relays): the one SRTP profile, the bridge certificate as ECDSA credentials, the
 * peer's certificate held against the fingerprint signaling passed on (the only thing that authenticates it), the
 * exported key material, and how alerts are logged. BouncyCastle's client and server are different base classes,
 * so these are shared by call rather than by inheritance.
 */
final class DtlsSrtpPeers {
    /** The only SRTP protection profile offered or taken (what browsers and Jitsi Videobridge use). */
    static final int SRTP_PROFILE = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
    /** Beyond this a handshake is abandoned; ICE consent would have failed long before. */
    static final int HANDSHAKE_TIMEOUT_MILLIS = 30_000;

    private DtlsSrtpPeers() {
    }

    /** The bridge certificate, signing with ECDSA and SHA-256. */
    static TlsCredentialedSigner credentials(TlsContext context, BcTlsCrypto crypto, BridgeCertificate certificate)
            throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, certificate.privateKey(),
                certificate.tlsChain(crypto),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /**
     * @param who for the alert's message: {@code browser}, {@code server}
     * @throws TlsFatalAlert bad_certificate when the peer sent none or one that does not match
     */
    static void requireFingerprint(Certificate peer, DtlsFingerprint expected, String who) throws IOException {
        if (peer == null || peer.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, who + " sent no certificate");
        }
        if (!expected.matches(peer.getCertificateAt(0).getEncoded())) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "certificate does not match the signalled fingerprint " + expected.hashFunction());
        }
    }

    /** Adds use_srtp with {@link #SRTP_PROFILE} to a hello's extensions. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Hashtable withUseSrtp(Hashtable extensions) throws IOException {
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {SRTP_PROFILE}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    /** The SRTP keying material of a completed handshake (RFC 5764 section 4.2), as the client and server halves. */
    static SrtpKeys exportedKeys(TlsContext context) {
        return SrtpKeys.fromExportedMaterial(
                context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeys.MATERIAL_LENGTH));
    }

    /** An alert this side raised: close_notify is the normal end (debug), anything else a warning. */
    static void alertRaised(Logger log, String owner, short level, short description, String message, Throwable cause) {
        if (description == AlertDescription.close_notify) {
            log.debug("{}: bridge closed DTLS", owner);
            return;
        }
        log.warn("{}: DTLS alert raised: {} {} ({})", owner, AlertLevel.getText(level),
                AlertDescription.getText(description), message, cause);
    }

    /** An alert the peer sent. @return true for close_notify: the DTLS association is over */
    static boolean alertReceived(Logger log, String owner, short level, short description) {
        if (description == AlertDescription.close_notify) {
            log.debug("{}: peer closed DTLS", owner);
            return true;
        }
        log.warn("{}: DTLS alert received: {} {}", owner, AlertLevel.getText(level),
                AlertDescription.getText(description));
        return false;
    }
}
