package io.livedesk.media.transport;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * jitsi-srtp's first use costs over a second (cipher classes and providers load lazily). Running
 * one protect/unprotect round at bridge start-up moves that cost off the first call's media path.
 */
public final class SrtpWarmUp {
    private SrtpWarmUp() {
    }

    public static void run() {
        byte[] material = new byte[SrtpKeys.MATERIAL_LENGTH];
        new SecureRandom().nextBytes(material);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        // The same key half on both sides, so what one factory protects the other can unprotect.
        SrtpKeys loopback = new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.serverKey(), keys.serverSalt());
        byte[] rtp = new byte[12 + 160];
        rtp[0] = (byte) 0x80;
        rtp[1] = 111;
        rtp[11] = 1;
        try (SrtpSession session = new SrtpSession(loopback, SrtpWarmUp.class.getName())) {
            PacketBuffer packet = PacketBuffer.copyOf(rtp, 0, rtp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            session.protectRtp(packet);
            session.unprotectRtp(packet);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("jitsi-srtp cannot run here", e);
        }
    }
}
