package io.livedesk.media.transport;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * SRTP protection of the RTP one endpoint is sent (AES_CM_128_HMAC_SHA1_80, the one profile the bridge
 * negotiates), written from the clear packet straight into the caller's output: the forwarded packet is read once
 * where it lies, encrypted into the outgoing buffer and authenticated there, with nothing allocated. jitsi-srtp
 * protects in place, so every forwarded copy was first copied into a scratch packet, and its cipher copied it once
 * more into a new array (1.2 kB of garbage per forwarded packet).
 *
 * <p>Each SSRC's sending state is jitsi-srtp's own ({@code SrtpCryptoContext.transformPacket}): the index is
 * guessed from the highest sequence number sent and the rollover counter, and a packet whose index was already
 * protected, or is 64 or more behind the highest, is refused (that check guards against reusing keystream, not
 * against an attacker). The output is byte for byte jitsi-srtp's; {@code RtpProtectorTest} compares the two.
 * Thread-safe: calls are serialised (they are already, per endpoint, by whoever sends to it).
 */
final class RtpProtector implements AutoCloseable {
    /** HMAC-SHA1-80. */
    static final int TAG_LENGTH = 10;
    /** Returned when the packet's index was protected already (jitsi-srtp's REPLAY_FAIL). */
    static final int REFUSED_SENT = -1;
    /** Returned when the packet's index is 64 or more behind the highest sent (jitsi-srtp's REPLAY_OLD). */
    static final int REFUSED_OLD = -2;
    /** Returned when the packet is not RTP this can protect (shorter than its header says). */
    static final int REFUSED_INVALID = -3;
    private static final int FIXED_HEADER = 12;
    private static final long REPLAY_WINDOW = 64;

    private final SrtpSessionKeys keys;
    private final AesCounterMode cipher;
    private final HmacSha1 mac;
    private final long saltHigh;
    private final long saltLow;
    private final SsrcStates states = new SsrcStates();
    private boolean closed;

    RtpProtector(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        keys = SrtpSessionKeys.forRtp(masterKey, masterSalt);
        cipher = new AesCounterMode(keys.cipherKey());
        mac = new HmacSha1(keys.authKey());
        byte[] salt16 = Arrays.copyOf(keys.salt(), 16);
        saltHigh = SrtpSessionKeys.longAt(salt16, 0);
        saltLow = SrtpSessionKeys.longAt(salt16, 8);
    }

    /**
     * Protects the RTP packet {@code src[off, off + len)} into {@code out} at {@code outOff} (which may be the same
     * place; {@code out} needs {@link #TAG_LENGTH} bytes more than the packet).
     *
     * @return the protected length, or {@link #REFUSED_SENT}, {@link #REFUSED_OLD}, {@link #REFUSED_INVALID}
     */
    synchronized int protect(byte[] src, int off, int len, byte[] out, int outOff) throws GeneralSecurityException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (len < FIXED_HEADER) {
            return REFUSED_INVALID;
        }
        int seq = ((src[off + 2] & 0xFF) << 8) | (src[off + 3] & 0xFF);
        int ssrc = readInt(src, off + 8);
        SsrcStates.State state = states.get(ssrc);
        if (!state.started) {
            state.started = true;
            state.highestSeq = seq;
        }
        int guessedRoc = guessRoc(state, seq);
        long index = ((long) guessedRoc << 16) | seq;
        long delta = index - (((long) state.roc << 16) | state.highestSeq);
        if (delta <= 0) {
            if (-delta >= REPLAY_WINDOW) {
                return REFUSED_OLD;
            }
            if (((state.window >>> -delta) & 1) != 0) {
                return REFUSED_SENT;
            }
        }
        int header = headerLength(src, off, len);
        if (header > len) {
            return REFUSED_INVALID;
        }
        if (src != out || off != outOff) {
            System.arraycopy(src, off, out, outOff, header);
        }
        // IV = salt XOR (SSRC << 64) XOR (index << 16), RFC 3711 section 4.1.1.
        long ivHigh = saltHigh ^ (ssrc & 0xFFFF_FFFFL);
        long ivLow = saltLow ^ (index << 16);
        cipher.apply(ivHigh, ivLow, src, off + header, out, outOff + header, len - header);
        mac.tag(out, outOff, len, guessedRoc, out, outOff + len, TAG_LENGTH);
        update(state, seq, delta, guessedRoc);
        return len + TAG_LENGTH;
    }

    /** RFC 3711 section 3.3.1's estimate, from the highest sequence number sent (jitsi-srtp's guessIndex). */
    private static int guessRoc(SsrcStates.State state, int seq) {
        if (state.highestSeq < 32768) {
            return seq - state.highestSeq > 32768 ? state.roc - 1 : state.roc;
        }
        return state.highestSeq - 32768 > seq ? state.roc + 1 : state.roc;
    }

    /** After a packet went out: the window of indices sent, the highest sequence number, the rollover counter. */
    private static void update(SsrcStates.State state, int seq, long delta, int guessedRoc) {
        if (delta >= REPLAY_WINDOW) {
            state.window = 1;
        } else if (delta > 0) {
            state.window = (state.window << delta) | 1;
        } else {
            state.window |= 1L << -delta;
        }
        if (guessedRoc == state.roc) {
            if (seq > state.highestSeq) {
                state.highestSeq = seq;
            }
        } else if (guessedRoc == state.roc + 1) {
            state.highestSeq = seq;
            state.roc = guessedRoc;
        }
    }

    /** Fixed header, CSRCs and, with the X bit, the extension (RFC 3550 section 5.3.1). */
    private static int headerLength(byte[] b, int off, int len) {
        int header = FIXED_HEADER + 4 * (b[off] & 0x0F);
        if ((b[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return Integer.MAX_VALUE;
            }
            header += 4 + 4 * (((b[off + header + 2] & 0xFF) << 8) | (b[off + header + 3] & 0xFF));
        }
        return header;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    /** Wipes the keys; protecting after this fails. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        keys.wipe();
        cipher.close();
        mac.close();
    }
}
