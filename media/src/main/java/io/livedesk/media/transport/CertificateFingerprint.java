package io.livedesk.media.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * SDP certificate fingerprints (RFC 8122 {@code a=fingerprint}): hash of the DER certificate
 * as upper-case hex pairs separated by colons.
 */
final class CertificateFingerprint {
    private CertificateFingerprint() {
    }

    /**
     * @param sdpHashName the hash function name as SDP spells it ({@code sha-256}, {@code sha-1},
     *                    {@code sha-384}, {@code sha-512})
     */
    static String of(String sdpHashName, byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance(sdpHashName.toUpperCase(Locale.ROOT)).digest(der);
            StringBuilder sb = new StringBuilder(digest.length * 3);
            for (byte b : digest) {
                if (sb.length() > 0) {
                    sb.append(':');
                }
                sb.append(String.format("%02X", b & 0xFF));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported fingerprint hash: " + sdpHashName, e);
        }
    }

    /** True when {@code der} hashes to {@code expected}; case-insensitive as RFC 8122 allows. */
    static boolean matches(String sdpHashName, String expected, byte[] der) {
        return of(sdpHashName, der).equalsIgnoreCase(expected.trim());
    }
}
