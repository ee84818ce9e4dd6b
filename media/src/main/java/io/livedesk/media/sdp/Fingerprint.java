package io.livedesk.media.sdp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;

/**
 * A DTLS certificate fingerprint, {@code a=fingerprint:<hash> <hex:hex:…>} (RFC 8122 section 5).
 * The digest length is checked against the hash function: a short or padded fingerprint would
 * only fail later, at the DTLS handshake, with a much less useful error. MD5 and MD2 are refused
 * (RFC 8122 section 5 deprecates them).
 *
 * @param hashFunction lower case, e.g. {@code sha-256}
 * @param value upper-case hex pairs separated by colons
 */
public record Fingerprint(String hashFunction, String value) {
    private static final Map<String, Integer> DIGEST_BYTES = Map.of(
            "sha-1", 20, "sha-224", 28, "sha-256", 32, "sha-384", 48, "sha-512", 64);

    public Fingerprint {
        SdpSyntax.token("fingerprint hash function", hashFunction);
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        Integer expected = DIGEST_BYTES.get(hashFunction);
        if (expected == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '"
                    + SdpParseException.quote(hashFunction) + "' (expected one of sha-1, sha-224, sha-256, sha-384, sha-512)");
        }
        SdpSyntax.token("fingerprint", value);
        value = value.toUpperCase(Locale.ROOT);
        if (value.length() != expected * 3 - 1) {
            throw new IllegalArgumentException(hashFunction + " fingerprint must be " + expected + " colon-separated hex bytes");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            if (!ok) {
                throw new IllegalArgumentException(hashFunction + " fingerprint must be colon-separated hex bytes");
            }
        }
    }

    /** The fingerprint of a DER-encoded certificate, as the bridge advertises its own. */
    public static Fingerprint ofCertificate(String hashFunction, byte[] certificateDer) {
        String algorithm = hashFunction.toUpperCase(Locale.ROOT);
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(algorithm).digest(certificateDer);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("no " + algorithm + " digest in this JVM", e);
        }
        StringBuilder hex = new StringBuilder(digest.length * 3);
        for (int i = 0; i < digest.length; i++) {
            if (i > 0) {
                hex.append(':');
            }
            hex.append(String.format("%02X", digest[i] & 0xFF));
        }
        return new Fingerprint(hashFunction, hex.toString());
    }

    /** The attribute value, {@code sha-256 AB:CD:…}. */
    public String attributeValue() {
        return hashFunction + " " + value;
    }
}
