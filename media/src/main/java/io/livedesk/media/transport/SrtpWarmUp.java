package io.livedesk.media.transport;

import org.jitsi.srtp.crypto.Aes;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * SRTP's first use costs over a second (jitsi-srtp's cipher classes and providers load lazily, and so do the JDK's
 * AES and SHA-1 the bridge's own RTP transform uses). Running one protect/unprotect round of RTP and of RTCP at
 * bridge start-up moves that cost off the first call's media path.
 */
public final class SrtpWarmUp {
    /**
     * The AES implementation of every SRTP context ({@code -Dlivedesk.srtp.cipher}, default SunJCE). Left to
     * itself jitsi-srtp benchmarks the factories as contexts are made and, on a loaded machine, picked pure-Java
     * BouncyCastle for some (8.4 us to protect 1 kB here, against 1.5 us for SunJCE with AES-NI, 2.0 us for
     * OpenSSL through JNI).
     */
    public static final String CIPHER_PROPERTY = "livedesk.srtp.cipher";

    private static final int RTP_ROUNDS = 5_000;

    private SrtpWarmUp() {
    }

    /** Fixes jitsi-srtp's AES implementation for the process (see {@link #CIPHER_PROPERTY}). */
    public static void chooseCipher() {
        String choice = System.getProperty(CIPHER_PROPERTY, "SunJCE");
        if (!choice.isBlank() && !choice.equals("auto")) {
            Aes.setFactoryClassName(choice);
        }
    }

    public static void run() {
        byte[] material = new byte[SrtpKeys.MATERIAL_LENGTH];
        new SecureRandom().nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        // The same key half on both sides, so what one factory protects the other can unprotect.
        SrtpKeys loopback = new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.serverKey(), keys.serverSalt());
        byte[] rtp = new byte[12 + 1000];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[11] = 1;
        byte[] wire = new byte[rtp.length + SrtpSession.MAX_PROTECTION_OVERHEAD];
        try (SrtpSession session = new SrtpSession(loopback, SrtpWarmUp.class.getName())) {
            // Enough rounds that the JIT compiles the bridge's own RTP transform: interpreted, its loops cost tens
            // of microseconds per packet, which the first call's packets would otherwise pay.
            for (int seq = 0; seq < RTP_ROUNDS; seq++) {
                rtp[2] = (byte) (seq >>> 8);
                rtp[3] = (byte) seq;
                int length = session.protectRtp(rtp, 0, rtp.length, wire, 0);
                session.unprotectRtp(wire, 0, length);
            }
            byte[] rtcp = {(byte) 0x80, (byte) 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0}; // an empty sender report
            PacketBuffer control = PacketBuffer.copyOf(rtcp, 0, rtcp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            session.protectRtcp(control);
            session.unprotectRtcp(control);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jitsi-srtp cannot run here", e);
        }
    }
}
