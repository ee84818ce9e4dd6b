package io.livedesk.media.transport;

import java.security.GeneralSecurityException;

/**
 * SRTP protection of the RTP one endpoint is sent (AES_CM_128_HMAC_SHA1_80, the one profile the bridge
 * negotiates), written from the clear packet straight into the caller's output: the forwarded packet is read once
 * where it lies, encrypted into the outgoing buffer and authenticated there, with nothing allocated. jitsi-srtp
 * protects in place, so every forwarded copy was first copied into a scratch packet, and its cipher copied it once
 * more into a new array (1.2 kB of garbage per forwarded packet).
 *
 * <p>Each SSRC's sending state is jitsi-srtp's own ({@code SrtpCryptoContext.transformPacket}, see
 * {@link SrtpStreamIndex}): a packet whose index was already protected, or is 64 or more behind the highest, is
 * refused, since protecting it again would reuse keystream. The output is byte for byte jitsi-srtp's;
 * {@code RtpProtectorTest} compares the two. Thread-safe: calls are serialised (they are already, per endpoint,
 * by whoever sends to it).
 */
final class RtpProtector implements AutoCloseable {
    static final int TAG_LENGTH = RtpSrtpCipher.TAG_LENGTH;
    /** Returned when the packet's index was protected already (jitsi-srtp's REPLAY_FAIL). */
    static final int REFUSED_SENT = SrtpStreamIndex.SEEN;
    /** Returned when the packet's index is 64 or more behind the highest sent (jitsi-srtp's REPLAY_OLD). */
    static final int REFUSED_OLD = SrtpStreamIndex.TOO_OLD;
    /** Returned when the packet is not RTP this can protect (shorter than its header says). */
    static final int REFUSED_INVALID = -3;

    private final RtpSrtpCipher cipher;
    private final SsrcStates streams = new SsrcStates();
    private boolean closed;

    RtpProtector(byte[] masterKey, byte[] masterSalt) throws GeneralSecurityException {
        cipher = new RtpSrtpCipher(masterKey, masterSalt);
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
        if (len < RtpSrtpCipher.FIXED_HEADER) {
            return REFUSED_INVALID;
        }
        int seq = RtpSrtpCipher.u16(src, off + 2);
        int ssrc = RtpSrtpCipher.readInt(src, off + 8);
        SrtpStreamIndex stream = streams.get(ssrc);
        stream.startAt(seq);
        int roc = stream.guessRoc(seq);
        long index = SrtpStreamIndex.index(roc, seq);
        int replay = stream.check(index);
        if (replay != SrtpStreamIndex.OK) {
            return replay;
        }
        int header = RtpSrtpCipher.headerLength(src, off, len);
        if (header > len) {
            return REFUSED_INVALID;
        }
        if (src != out || off != outOff) {
            System.arraycopy(src, off, out, outOff, header);
        }
        cipher.crypt(ssrc, index, src, off + header, out, outOff + header, len - header);
        cipher.tag(out, outOff, len, roc, out, outOff + len);
        stream.update(seq, index, roc);
        return len + TAG_LENGTH;
    }

    /** Wipes the keys; protecting after this fails. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        cipher.close();
    }
}
