package io.livedesk.media.robustness;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import io.livedesk.testkit.peer.SyntheticPeer;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpErrorStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser stand-in on a plain loopback UDP socket: ICE and DTLS by testkit's {@link SyntheticPeer}, then
 * SRTP with the exported keys. Enough to keep a real media flow through the bridge while something else is
 * going on.
 */
final class SyntheticEndpoint implements AutoCloseable {
    private final SyntheticPeer peer;
    private final AtomicLong rtpReceived = new AtomicLong();
    private final AtomicLong rtpReceivedAuthenticated = new AtomicLong();
    /** Authenticated RTP by SSRC. */
    private final java.util.concurrent.ConcurrentHashMap<Long, AtomicLong> rtpBySsrc =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Authenticated PLIs from the bridge by media SSRC (the stream a keyframe is asked of). */
    private final java.util.concurrent.ConcurrentHashMap<Long, AtomicLong> plisByMediaSsrc =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile SrtpSession srtp;
    private final Object srtpLock = new Object();
    private int sequence;
    private int timestamp;

    SyntheticEndpoint(String name) throws SocketException {
        peer = new SyntheticPeer(name, this::onSrtp);
    }

    /** This endpoint's transport for the bridge (Colibri2 {@code transport} of a PATCH). */
    TransportDescription description() {
        return new TransportDescription(peer.ufrag(), peer.pwd(),
                List.of(new TransportDescription.Fingerprint("sha-256", peer.fingerprint(), SetupRole.ACTIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "127.0.0.1",
                        peer.port(), "host")), true);
    }

    /** ICE (nominating the one pair) then DTLS; SRTP keys are in place when this returns. */
    void connect(TransportDescription bridge, Duration timeout)
            throws IOException, InterruptedException, GeneralSecurityException {
        TransportDescription.Candidate c = bridge.candidates().get(0);
        byte[] material = peer.connect(bridge.ufrag(), bridge.pwd(), new InetSocketAddress(c.ip(), c.port()),
                bridge.iceLite(), timeout, SrtpKeys.MATERIAL_LENGTH, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        // The bridge decrypts with the client half: this side encrypts with it.
        SrtpSession session = new SrtpSession(new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(),
                keys.clientSalt()), "synthetic-" + peer.ufrag());
        synchronized (srtpLock) {
            srtp = session;
        }
    }

    /** Sends one SRTP-protected RTP packet (Opus-like payload) on {@code ssrc}; returns the wire bytes. */
    byte[] sendRtp(long ssrc) throws IOException, GeneralSecurityException {
        byte[] wire = protectRtp(ssrc);
        sendRaw(wire);
        return wire;
    }

    /** The next RTP packet on {@code ssrc}, SRTP-protected, not sent. */
    byte[] protectRtp(long ssrc) throws GeneralSecurityException {
        synchronized (srtpLock) {
            return protectRtpLocked(ssrc);
        }
    }

    private byte[] protectRtpLocked(long ssrc) throws GeneralSecurityException {
        byte[] rtp = new byte[12 + 80];
        rtp[0] = (byte) 0x80;
        rtp[1] = 111;
        int seq = ++sequence;
        timestamp += 960;
        rtp[2] = (byte) (seq >> 8);
        rtp[3] = (byte) seq;
        ByteBuffer.wrap(rtp, 4, 8).putInt(timestamp).putInt((int) ssrc);
        PacketBuffer packet = PacketBuffer.copyOf(rtp, 0, rtp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
        if (srtp.protectRtp(packet) != SrtpErrorStatus.OK) {
            throw new GeneralSecurityException("protect failed");
        }
        return Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(), packet.getOffset() + packet.getLength());
    }

    /** Sends bytes as they are from this endpoint's own (authenticated) address. */
    void sendRaw(byte[] datagram) throws IOException {
        peer.send(datagram);
    }

    /** RTP the bridge sent here that decrypted and authenticated. */
    long rtpReceived() {
        return rtpReceivedAuthenticated.get();
    }

    /** RTP on {@code ssrc} that decrypted and authenticated. */
    long rtpReceived(long ssrc) {
        AtomicLong n = rtpBySsrc.get(ssrc);
        return n == null ? 0 : n.get();
    }

    /** PLIs (authenticated SRTCP) the bridge sent here asking for a keyframe of {@code mediaSsrc}. */
    long plisReceived(long mediaSsrc) {
        AtomicLong n = plisByMediaSsrc.get(mediaSsrc);
        return n == null ? 0 : n.get();
    }

    /** Sends an SRTCP-protected PLI (RFC 4585 6.3.1) from {@code senderSsrc} about {@code mediaSsrc}. */
    void sendPli(long senderSsrc, long mediaSsrc) throws IOException, GeneralSecurityException {
        byte[] pli = new byte[12];
        pli[0] = (byte) 0x81; // V=2, FMT=1
        pli[1] = (byte) 206;
        pli[3] = 2;
        ByteBuffer.wrap(pli, 4, 8).putInt((int) senderSsrc).putInt((int) mediaSsrc);
        byte[] wire;
        synchronized (srtpLock) {
            PacketBuffer packet = PacketBuffer.copyOf(pli, 0, pli.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            if (srtp.protectRtcp(packet) != SrtpErrorStatus.OK) {
                throw new GeneralSecurityException("protect failed");
            }
            wire = Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(), packet.getOffset() + packet.getLength());
        }
        sendRaw(wire);
    }

    private void onRtcp(byte[] packet) {
        SrtpSession session = srtp;
        if (session == null) {
            return;
        }
        PacketBuffer clear = new PacketBuffer(packet, 0, packet.length);
        synchronized (srtpLock) {
            try {
                if (session.unprotectRtcp(clear) != SrtpErrorStatus.OK) {
                    return;
                }
            } catch (GeneralSecurityException e) {
                return;
            }
        }
        byte[] b = clear.getBuffer();
        int at = clear.getOffset();
        int end = at + clear.getLength();
        while (at + 12 <= end) {
            int length = ((b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF)) * 4 + 4;
            if ((b[at + 1] & 0xFF) == 206 && (b[at] & 0x1F) == 1) {
                long media = ByteBuffer.wrap(b, at + 8, 4).getInt() & 0xFFFFFFFFL;
                plisByMediaSsrc.computeIfAbsent(media, k -> new AtomicLong()).incrementAndGet();
            }
            at += length;
        }
    }

    private void onSrtp(byte[] packet) {
        int pt = packet[1] & 0x7F;
        if (pt >= 64 && pt <= 95) {
            onRtcp(packet); // feedback from the bridge: not counted as RTP
            return;
        }
        rtpReceived.incrementAndGet();
        SrtpSession session = srtp;
        if (session == null) {
            return;
        }
        synchronized (srtpLock) {
            try {
                if (session.unprotectRtp(new PacketBuffer(packet, 0, packet.length)) == SrtpErrorStatus.OK) {
                    rtpReceivedAuthenticated.incrementAndGet();
                    long ssrc = ByteBuffer.wrap(packet, 8, 4).getInt() & 0xFFFFFFFFL;
                    rtpBySsrc.computeIfAbsent(ssrc, k -> new AtomicLong()).incrementAndGet();
                }
            } catch (GeneralSecurityException e) {
                // Not authentic: not counted.
            }
        }
    }

    @Override
    public void close() {
        peer.close();
        SrtpSession session = srtp;
        if (session != null) {
            synchronized (srtpLock) {
                session.close();
            }
        }
    }
}
