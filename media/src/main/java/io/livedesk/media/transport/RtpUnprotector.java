package io.livedesk.media.transport;

import java.security.GeneralSecurityException;

/**
 * SRTP unprotection of the RTP one endpoint sends (AES_CM_128_HMAC_SHA1_80), in place and allocating nothing:
 * jitsi-srtp's took a wrapper object and an Integer per packet, and its cipher (SunJCE's CTR called in place)
 * a fresh copy of the packet, more than a kilobyte of garbage per packet received.
 *
 * <p>It is jitsi-srtp's receiver ({@code SrtpCryptoContext.reverseTransformPacket}) step for step, which tests
 * compare packet for packet: the length checked against the header, the index guessed, the replay window (64),
 * then the tag checked in constant time over the packet and its rollover counter, then decryption, and only
 * then the stream's state updated; a stream's first packet sets its start only if it passes. Header extensions
 * encrypted with cryptex (RFC 9335, types 0xC0DE and 0xC2DE) are decrypted too, as jitsi-srtp does whatever was
 * negotiated. Thread-safe: calls are serialised.
 */
final class RtpUnprotector implements AutoCloseable {
    /** The packet is shorter than its header and tag say (jitsi-srtp's INVALID_PACKET). */
    static final int INVALID = -3;
    /** The tag does not match (AUTH_FAIL). */
    static final int AUTH_FAILED = -4;
    /** Replayed: {@link SrtpStreamIndex#SEEN}, {@link SrtpStreamIndex#TOO_OLD}. */
    static final int SEEN = SrtpStreamIndex.SEEN;
    static final int TOO_OLD = SrtpStreamIndex.TOO_OLD;
    private static final int TAG = RtpSrtpCipher.TAG_LENGTH;
    private static final int FIXED = RtpSrtpCipher.FIXED_HEADER;

    private final RtpSrtpCipher cipher;
    private final SsrcStates streams = new SsrcStates();
    private final byte[] expected = new byte[TAG];
    /**
     * The index of an SSRC met for the first time, kept only once one of its packets authenticates: anyone who
     * can send from an endpoint's address could otherwise fill the table with made-up SSRCs.
     */
    private final SrtpStreamIndex unknown = new SrtpStreamIndex();
    private boolean closed;

    RtpUnprotector(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        cipher = new RtpSrtpCipher(masterKey, masterSalt);
    }

    /**
     * Checks and decrypts the SRTP packet {@code buf[off, off + len)} in place.
     *
     * @return the length of the clear RTP packet (at {@code off}), or {@link #INVALID}, {@link #SEEN},
     * {@link #TOO_OLD}, {@link #AUTH_FAILED}
     */
    synchronized int unprotect(byte[] buf, int off, int len) throws GeneralSecurityException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (!longEnough(buf, off, len)) {
            return INVALID;
        }
        int seq = RtpSrtpCipher.u16(buf, off + 2);
        int ssrc = RtpSrtpCipher.readInt(buf, off + 8);
        SrtpStreamIndex stream = streams.find(ssrc);
        if (stream == null) {
            stream = unknown;
            stream.reset();
        }
        // A start made for a packet that then fails is forgotten: only authenticated packets change the state.
        boolean startedHere = stream.startAt(seq);
        int roc = stream.guessRoc(seq);
        long index = SrtpStreamIndex.index(roc, seq);
        int result = stream.check(index);
        if (result == SrtpStreamIndex.OK) {
            result = authenticateAndDecrypt(buf, off, len - TAG, ssrc, index, roc);
        }
        if (result < 0) {
            if (startedHere) {
                stream.reset();
            }
            return result;
        }
        if (stream == unknown) {
            stream = streams.get(ssrc);
            stream.startAt(seq);
        }
        stream.update(seq, index, roc);
        return result;
    }

    private int authenticateAndDecrypt(byte[] buf, int off, int len, int ssrc, long index, int roc)
            throws GeneralSecurityException {
        cipher.tag(buf, off, len, roc, expected, 0);
        int differ = 0;
        for (int i = 0; i < TAG; i++) {
            differ |= expected[i] ^ buf[off + len + i];
        }
        if (differ != 0) {
            return AUTH_FAILED;
        }
        int csrcBytes = 4 * (buf[off] & 0x0F);
        if (!cryptex(buf, off)) {
            int header = RtpSrtpCipher.headerLength(buf, off, len);
            cipher.crypt(ssrc, index, buf, off + header, buf, off + header, len - header);
            return len;
        }
        // RFC 9335 section 5.1: the CSRCs move behind the extension's header word, and everything after that
        // word (CSRCs, extension, payload) was encrypted as one; then they move back and the type is the plain one.
        int extensionWord = RtpSrtpCipher.readInt(buf, off + FIXED + csrcBytes);
        if (csrcBytes > 0) {
            System.arraycopy(buf, off + FIXED, buf, off + FIXED + 4, csrcBytes);
            writeInt(buf, off + FIXED, extensionWord);
        }
        cipher.crypt(ssrc, index, buf, off + FIXED + 4, buf, off + FIXED + 4, len - FIXED - 4);
        if (csrcBytes > 0) {
            extensionWord = RtpSrtpCipher.readInt(buf, off + FIXED);
            System.arraycopy(buf, off + FIXED + 4, buf, off + FIXED, csrcBytes);
            writeInt(buf, off + FIXED + csrcBytes, extensionWord);
        }
        int type = RtpSrtpCipher.u16(buf, off + FIXED + csrcBytes);
        int plain = type == 0xC0DE ? 0xBEDE : 0x1000;
        buf[off + FIXED + csrcBytes] = (byte) (plain >>> 8);
        buf[off + FIXED + csrcBytes + 1] = (byte) plain;
        return len;
    }

    /** Room for the fixed header, CSRCs, extension (if any) and the tag: jitsi-srtp's validatePacketLength. */
    private static boolean longEnough(byte[] b, int off, int len) {
        int needed = FIXED + TAG;
        if (len < needed) {
            return false;
        }
        needed += 4 * (b[off] & 0x0F);
        if (len < needed) {
            return false;
        }
        if (RtpSrtpCipher.hasExtension(b, off)) {
            needed += 4;
            if (len < needed) {
                return false;
            }
            needed += 4 * RtpSrtpCipher.u16(b, off + FIXED + 4 * (b[off] & 0x0F) + 2);
        }
        return len >= needed;
    }

    /** Whether the sender encrypted the header extension (RFC 9335 types; checked as jitsi-srtp checks). */
    private static boolean cryptex(byte[] b, int off) {
        if (!RtpSrtpCipher.hasExtension(b, off)) {
            return false;
        }
        int type = RtpSrtpCipher.u16(b, off + FIXED + 4 * (b[off] & 0x0F));
        return type == 0xC0DE || type == 0xC2DE;
    }

    private static void writeInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** Wipes the keys; unprotecting after this fails. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        cipher.close();
    }
}
