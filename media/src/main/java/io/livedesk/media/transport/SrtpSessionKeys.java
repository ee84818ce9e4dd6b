package io.livedesk.media.transport;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The SRTP session keys of one direction, derived from its master key and salt (RFC 3711 section 4.3.1, with a
 * key derivation rate of 0, which is what DTLS-SRTP uses): cipher key, cipher salt and authentication key for RTP.
 * The same derivation jitsi-srtp runs for each of its contexts; tests check it against RFC 3711's vectors.
 */
record SrtpSessionKeys(byte[] cipherKey, byte[] salt, byte[] authKey) {
    static final int CIPHER_KEY_LENGTH = 16;
    static final int SALT_LENGTH = 14;
    static final int AUTH_KEY_LENGTH = 20;
    private static final byte LABEL_RTP_ENCRYPTION = 0x00;
    private static final byte LABEL_RTP_AUTH = 0x01;
    private static final byte LABEL_RTP_SALT = 0x02;

    static SrtpSessionKeys forRtp(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        if (masterKey.length != CIPHER_KEY_LENGTH || masterSalt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("AES-128 master key and 112-bit master salt expected");
        }
        try (AesCounterMode prf = new AesCounterMode(masterKey)) {
            return new SrtpSessionKeys(derive(prf, masterSalt, LABEL_RTP_ENCRYPTION, CIPHER_KEY_LENGTH),
                    derive(prf, masterSalt, LABEL_RTP_SALT, SALT_LENGTH),
                    derive(prf, masterSalt, LABEL_RTP_AUTH, AUTH_KEY_LENGTH));
        }
    }

    /** AES-CM keystream for the IV (master salt XOR label at byte 7) times 2^16. */
    private static byte[] derive(AesCounterMode prf, byte[] masterSalt, byte label, int length)
            throws GeneralSecurityException {
        byte[] iv = Arrays.copyOf(masterSalt, 16);
        iv[7] ^= label;
        byte[] out = new byte[length];
        prf.apply(longAt(iv, 0), longAt(iv, 8), out, 0, out, 0, length);
        return out;
    }

    static long longAt(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** Overwrites the keys: nothing protects with them after. */
    void wipe() {
        Arrays.fill(cipherKey, (byte) 0);
        Arrays.fill(salt, (byte) 0);
        Arrays.fill(authKey, (byte) 0);
    }
}
