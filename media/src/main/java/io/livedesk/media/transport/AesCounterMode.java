package io.livedesk.media.transport;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 section 4.1.1: a 128-bit IV whose low 16 bits count the blocks),
 * from a source region into a destination region, which may be the same. The keystream is AES-ECB over counter
 * blocks built here, with one cipher initialised per key: a CTR {@link Cipher} needs an {@code init} (and its
 * garbage) for every packet's IV, and SunJCE's CTR called in place, as jitsi-srtp calls it, copies the packet into
 * a new array first. Nothing is allocated per call. Not thread-safe: its owner serialises calls.
 */
final class AesCounterMode implements AutoCloseable {
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The keystream is XORed in longs; byte order does not matter to XOR, so the machine's own. */
    private static final VarHandle NATIVE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int BLOCK = 16;
    /** Room for the largest datagram the bridge handles; larger requests grow the scratch once. */
    private static final int INITIAL_BYTES = 2048;

    private final Cipher ecb;
    private byte[] counters = new byte[INITIAL_BYTES];
    private byte[] keystream = new byte[INITIAL_BYTES];

    AesCounterMode(byte[] key) throws GeneralSecurityException {
        ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    }

    /**
     * XORs {@code len} bytes of keystream for the IV {@code ivHigh || ivLow} (big-endian halves; the low 16 bits
     * of {@code ivLow} must be 0) with {@code src} into {@code dst}.
     */
    void apply(long ivHigh, long ivLow, byte[] src, int srcOff, byte[] dst, int dstOff, int len)
            throws GeneralSecurityException {
        if (len <= 0) {
            return;
        }
        int bytes = (len + BLOCK - 1) & -BLOCK;
        if (bytes > counters.length) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        for (int at = 0, block = 0; at < bytes; at += BLOCK, block++) {
            BIG_ENDIAN_LONG.set(counters, at, ivHigh);
            BIG_ENDIAN_LONG.set(counters, at + 8, ivLow + block);
        }
        ecb.update(counters, 0, bytes, keystream, 0);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            NATIVE_LONG.set(dst, dstOff + i,
                    (long) NATIVE_LONG.get(src, srcOff + i) ^ (long) NATIVE_LONG.get(keystream, i));
        }
        for (; i < len; i++) {
            dst[dstOff + i] = (byte) (src[srcOff + i] ^ keystream[i]);
        }
    }

    /** Wipes the keystream left in the scratch. The cipher's key schedule goes with the object. */
    @Override
    public void close() {
        Arrays.fill(keystream, (byte) 0);
    }
}
