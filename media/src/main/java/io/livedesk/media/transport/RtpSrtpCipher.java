package io.livedesk.media.transport;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The AES_CM_128_HMAC_SHA1_80 transform of RTP for one session direction (RFC 3711): session keys derived from
 * the master key and salt, the counter-mode IV of a packet (salt XOR SSRC XOR index, section 4.1.1) and the
 * authentication tag over the packet and its rollover counter (section 4.2). What {@link RtpProtector} and
 * {@link RtpUnprotector} share; the packet index logic is {@link SrtpStreamIndex}. Not thread-safe.
 */
final class RtpSrtpCipher implements AutoCloseable {
    /** HMAC-SHA1 truncated to 80 bits. */
    static final int TAG_LENGTH = 10;
    static final int FIXED_HEADER = 12;
    /** What {@link #headerLength} returns for a packet shorter than its header says. */
    static final int TRUNCATED = Integer.MAX_VALUE;

    private final SrtpSessionKeys keys;
    private final AesCounterMode aes;
    private final HmacSha1 mac;
    private final long saltHigh;
    private final long saltLow;

    RtpSrtpCipher(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        keys = SrtpSessionKeys.forRtp(masterKey, masterSalt);
        aes = new AesCounterMode(keys.cipherKey());
        mac = new HmacSha1(keys.authKey());
        byte[] salt16 = Arrays.copyOf(keys.salt(), 16);
        saltHigh = SrtpSessionKeys.longAt(salt16, 0);
        saltLow = SrtpSessionKeys.longAt(salt16, 8);
    }

    /** Encrypts or decrypts (the same in counter mode) {@code len} bytes of the packet with this SSRC and index. */
    void crypt(int ssrc, long index, byte[] src, int srcOff, byte[] dst, int dstOff, int len)
            throws GeneralSecurityException {
        aes.apply(saltHigh ^ (ssrc & 0xFFFF_FFFFL), saltLow ^ (index << 16), src, srcOff, dst, dstOff, len);
    }

    /** The tag of {@code data[off, off + len)} with rollover counter {@code roc}, written to {@code out}. */
    void tag(byte[] data, int off, int len, int roc, byte[] out, int outOff) throws GeneralSecurityException {
        mac.tag(data, off, len, roc, out, outOff, TAG_LENGTH);
    }

    /**
     * Fixed header, CSRCs and, with the X bit, the extension (RFC 3550 section 5.3.1); {@link #TRUNCATED} when
     * the packet ends before the extension's own header.
     */
    static int headerLength(byte[] b, int off, int len) {
        int header = FIXED_HEADER + 4 * (b[off] & 0x0F);
        if (hasExtension(b, off)) {
            if (header + 4 > len) {
                return TRUNCATED;
            }
            header += 4 + 4 * u16(b, off + header + 2);
        }
        return header;
    }

    static boolean hasExtension(byte[] b, int off) {
        return (b[off] & 0x10) != 0;
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    /** Wipes the keys. */
    @Override
    public void close() {
        keys.wipe();
        aes.close();
        mac.close();
    }
}
