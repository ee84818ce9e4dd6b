package io.livedesk.media.transport;

import java.util.Objects;

/**
 * The remote peer's certificate fingerprint from its SDP ({@code a=fingerprint:sha-256 AB:CD:...}).
 * The DTLS handshake is only trusted when the browser's certificate hashes to this value.
 */
public record DtlsFingerprint(String hashFunction, String value) {
    public DtlsFingerprint {
        Objects.requireNonNull(hashFunction, "hashFunction");
        Objects.requireNonNull(value, "value");
    }

    /** Parses the attribute value after {@code a=fingerprint:}. */
    public static DtlsFingerprint parse(String attributeValue) {
        String[] parts = attributeValue.trim().split("\\s+", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a fingerprint: " + attributeValue);
        }
        return new DtlsFingerprint(parts[0], parts[1]);
    }

    boolean matches(byte[] certificateDer) {
        return CertificateFingerprint.matches(hashFunction, value, certificateDer);
    }
}
