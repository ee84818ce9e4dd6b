package io.livedesk.media.transport;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC-SHA1 (RFC 2104) of a region plus a 32-bit trailer (SRTP authenticates the packet and its rollover counter,
 * RFC 3711 section 4.2), written into the caller's array. Built on {@link MessageDigest} with the padded keys
 * kept, because {@code javax.crypto.Mac.doFinal} returns a new array for every tag. Not thread-safe: its owner
 * serialises calls.
 */
final class HmacSha1 implements AutoCloseable {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] trailer = new byte[4];
    private final byte[] digest = new byte[LENGTH];

    /** @param key at most 64 bytes (SRTP's is 20) */
    HmacSha1(byte[] key) throws GeneralSecurityException {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC keys longer than a block are hashed first; not needed here");
        }
        sha1 = MessageDigest.getInstance("SHA-1");
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** The first {@code tagLength} bytes of HMAC(data || trailer as big-endian 32 bits) into {@code out}. */
    void tag(byte[] data, int off, int len, int trailerValue, byte[] out, int outOff, int tagLength)
            throws GeneralSecurityException {
        trailer[0] = (byte) (trailerValue >>> 24);
        trailer[1] = (byte) (trailerValue >>> 16);
        trailer[2] = (byte) (trailerValue >>> 8);
        trailer[3] = (byte) trailerValue;
        sha1.update(innerPad);
        sha1.update(data, off, len);
        sha1.update(trailer);
        sha1.digest(digest, 0, LENGTH);
        sha1.update(outerPad);
        sha1.update(digest);
        sha1.digest(digest, 0, LENGTH);
        System.arraycopy(digest, 0, out, outOff, tagLength);
    }

    @Override
    public void close() {
        Arrays.fill(innerPad, (byte) 0);
        Arrays.fill(outerPad, (byte) 0);
        Arrays.fill(digest, (byte) 0);
    }
}
