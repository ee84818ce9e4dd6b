package io.livedesk.media.transport;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP/SRTCP for one endpoint after its DTLS handshake: a decrypting factory keyed with what the
 * browser (DTLS client) protects with, an encrypting one keyed with the bridge's (server) half,
 * and a crypto context per SSRC in each direction, derived on first use (ROC 0: a new stream).
 * RTP, the forwarding path, is protected by {@link RtpProtector} (out of place) and unprotected by
 * {@link RtpUnprotector} (in place) rather than by jitsi-srtp's contexts: same keys, same output and
 * verdicts, nothing allocated per packet. RTCP stays with jitsi-srtp.
 */
public final class SrtpSession implements AutoCloseable {
    /** HMAC-SHA1-80 auth tag; SRTCP adds a 4-byte E+index word before it. */
    public static final int MAX_PROTECTION_OVERHEAD = 10 + 4;

    private final SrtpContextFactory decryptFactory;
    private final SrtpContextFactory encryptFactory;
    private final RtpProtector rtpProtector;
    private final RtpUnprotector rtpUnprotector;
    private final Map<Integer, SrtcpCryptoContext> rtcpDecrypt = new ConcurrentHashMap<>();
    private final Map<Integer, SrtcpCryptoContext> rtcpEncrypt = new ConcurrentHashMap<>();

    public SrtpSession(SrtpKeys keys, String logName) {
        Logger logger = new LoggerImpl(logName);
        decryptFactory = new SrtpContextFactory(
                false, keys.clientKey(), keys.clientSalt(), aes128HmacSha1_80(), aes128HmacSha1_80(), logger);
        encryptFactory = new SrtpContextFactory(
                true, keys.serverKey(), keys.serverSalt(), aes128HmacSha1_80(), aes128HmacSha1_80(), logger);
        try {
            rtpProtector = new RtpProtector(keys.serverKey(), keys.serverSalt());
            rtpUnprotector = new RtpUnprotector(keys.clientKey(), keys.clientSalt());
            // jitsi-srtp chooses its AES implementation when it derives its first context in the process, which
            // took seconds on a loaded machine. RTP no longer derives any, so the first would be the first RTCP
            // packet's, on the receive thread: derive a throwaway one here, on the handshake's thread (later
            // sessions pay one key derivation).
            decryptFactory.deriveControlContext(0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES and SHA-1 are needed for SRTP", e);
        }
    }

    /** SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 section 4.1.2), the profile the bridge negotiates. */
    static SrtpPolicy aes128HmacSha1_80() {
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
    }

    /** Checks and decrypts in place; on success the packet's length no longer counts the tag. */
    public SrtpErrorStatus unprotectRtp(PacketBuffer packet) throws GeneralSecurityException {
        int clearLength = rtpUnprotector.unprotect(packet.getBuffer(), packet.getOffset(), packet.getLength());
        if (clearLength < 0) {
            return status(clearLength);
        }
        packet.setLength(clearLength);
        return SrtpErrorStatus.OK;
    }

    /**
     * Checks and decrypts the SRTP packet {@code buf[off, off + len)} in place.
     *
     * @return the clear RTP packet's length, or a negative number when it was refused (see {@link #status})
     */
    public int unprotectRtp(byte[] buf, int off, int len) throws GeneralSecurityException {
        return rtpUnprotector.unprotect(buf, off, len);
    }

    public SrtpErrorStatus unprotectRtcp(PacketBuffer packet) throws GeneralSecurityException {
        return rtcpContext(rtcpDecrypt, decryptFactory, rtcpSenderSsrc(packet)).reverseTransformPacket(packet);
    }

    /** Protects in place, growing the buffer for the tag when it must. */
    public SrtpErrorStatus protectRtp(PacketBuffer packet) throws GeneralSecurityException {
        packet.grow(RtpProtector.TAG_LENGTH);
        int protectedLength = rtpProtector.protect(packet.getBuffer(), packet.getOffset(), packet.getLength(),
                packet.getBuffer(), packet.getOffset());
        if (protectedLength < 0) {
            return status(protectedLength);
        }
        packet.setLength(protectedLength);
        return SrtpErrorStatus.OK;
    }

    /**
     * Protects the RTP packet {@code src[off, off + len)} into {@code out} at {@code outOff}, which needs
     * {@link #MAX_PROTECTION_OVERHEAD} bytes more than the packet.
     *
     * @return the protected length, or a negative number when the packet was refused (see {@link #status})
     */
    public int protectRtp(byte[] src, int off, int len, byte[] out, int outOff) throws GeneralSecurityException {
        return rtpProtector.protect(src, off, len, out, outOff);
    }

    /** What a negative RTP protect or unprotect result means, as jitsi-srtp says it. */
    public static SrtpErrorStatus status(int refused) {
        return switch (refused) {
            case SrtpStreamIndex.SEEN -> SrtpErrorStatus.REPLAY_FAIL;
            case SrtpStreamIndex.TOO_OLD -> SrtpErrorStatus.REPLAY_OLD;
            case RtpUnprotector.AUTH_FAILED -> SrtpErrorStatus.AUTH_FAIL;
            default -> SrtpErrorStatus.INVALID_PACKET;
        };
    }

    public SrtpErrorStatus protectRtcp(PacketBuffer packet) throws GeneralSecurityException {
        return rtcpContext(rtcpEncrypt, encryptFactory, rtcpSenderSsrc(packet)).transformPacket(packet);
    }

    private static SrtcpCryptoContext rtcpContext(
            Map<Integer, SrtcpCryptoContext> contexts, SrtpContextFactory factory, int ssrc)
            throws GeneralSecurityException {
        SrtcpCryptoContext context = contexts.get(ssrc);
        if (context == null) {
            context = factory.deriveControlContext(ssrc);
            SrtcpCryptoContext raced = contexts.putIfAbsent(ssrc, context);
            if (raced != null) {
                context = raced;
            }
        }
        return context;
    }

    /** RTCP header bytes 4-7: the sender's SSRC, left in clear by SRTCP. */
    private static int rtcpSenderSsrc(PacketBuffer p) {
        return readInt(p.getBuffer(), p.getOffset() + 4);
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    @Override
    public void close() {
        decryptFactory.close();
        encryptFactory.close();
        rtpProtector.close();
        rtpUnprotector.close();
        rtcpDecrypt.clear();
        rtcpEncrypt.clear();
    }
}
