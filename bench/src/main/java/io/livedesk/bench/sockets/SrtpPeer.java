package io.livedesk.bench.sockets;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import io.livedesk.testkit.peer.SyntheticPeer;
import org.HdrHistogram.Recorder;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpErrorStatus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synthetic WebRTC endpoint on its own loopback UDP socket: ICE and a real DTLS 1.2 handshake (testkit's
 * {@link SyntheticPeer}), then SRTP with the exported keys. As a sender it protects VP8-sized RTP carrying its
 * send time; as a receiver it decrypts and checks every packet the bridge forwards and records the one-way
 * time the bridge added (both ends share this JVM's clock). With a {@link SharedReceiver}, once connected its
 * media moves to a channel on the same port that the shared receiver reads.
 */
final class SrtpPeer implements AutoCloseable {
    static final int PAYLOAD = 1000;
    private static final int VIDEO_PT = 96;

    private final SyntheticPeer peer;
    private final Recorder latencyMicros;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    private final Object lock = new Object();
    private volatile SrtpSession srtp;
    private final byte[] rtp = new byte[12 + PAYLOAD];
    /** Null: the peer's own reader thread receives the media. */
    private final SharedReceiver shared;
    private volatile DatagramChannel channel;
    private volatile InetSocketAddress bridgeAddress;
    private int sequence;
    private int timestamp;

    SrtpPeer(String name, Recorder latencyMicros, SharedReceiver shared) throws SocketException {
        this.latencyMicros = latencyMicros;
        this.shared = shared;
        this.peer = new SyntheticPeer(name, this::onPacket);
    }

    /** Its transport for the bridge's endpoint (browser side, DTLS client). */
    TransportDescription description() {
        return new TransportDescription(peer.ufrag(), peer.pwd(),
                List.of(new TransportDescription.Fingerprint("sha-256", peer.fingerprint(), SetupRole.ACTIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "127.0.0.1", peer.port(), "host")),
                true);
    }

    void connect(TransportDescription bridge, Duration timeout) throws IOException, InterruptedException,
            GeneralSecurityException {
        TransportDescription.Candidate c = bridge.candidates().get(0);
        byte[] material = peer.connect(bridge.ufrag(), bridge.pwd(), new InetSocketAddress(c.ip(), c.port()),
                bridge.iceLite(), timeout, SrtpKeys.MATERIAL_LENGTH, SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        bridgeAddress = new InetSocketAddress(c.ip(), c.port());
        if (shared != null) {
            // Same address, so the bridge, which knows the peer by the address its checks came from, goes on.
            int port = peer.releasePort();
            channel = shared.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), this::onPacket);
        }
        // The browser is the DTLS client: it sends with the client keys and receives with the server's.
        srtp = new SrtpSession(new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()),
                "bench-" + peer.ufrag());
    }

    /** Sends the next video packet on {@code ssrc}, its payload starting with the send time (ns). */
    void send(long ssrc, boolean marker) throws IOException, GeneralSecurityException {
        byte[] wire;
        synchronized (lock) {
            int seq = ++sequence;
            if (marker) {
                timestamp += 3000;
            }
            rtp[0] = (byte) 0x80;
            rtp[1] = (byte) (VIDEO_PT | (marker ? 0x80 : 0));
            rtp[2] = (byte) (seq >> 8);
            rtp[3] = (byte) seq;
            ByteBuffer.wrap(rtp, 4, 16).putInt(timestamp).putInt((int) ssrc).putLong(System.nanoTime());
            PacketBuffer packet = PacketBuffer.copyOf(rtp, 0, rtp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            if (srtp.protectRtp(packet) != SrtpErrorStatus.OK) {
                throw new GeneralSecurityException("protect failed");
            }
            wire = java.util.Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(), packet.getOffset() + packet.getLength());
        }
        DatagramChannel ch = channel;
        if (ch != null) {
            ch.send(ByteBuffer.wrap(wire), bridgeAddress);
        } else {
            peer.send(wire);
        }
    }

    private void onPacket(byte[] packet) {
        onPacket(packet, packet.length);
    }

    /** One datagram from the bridge in {@code packet[0, len)}, decrypted in place. */
    private void onPacket(byte[] packet, int len) {
        if (len < 2) {
            bad.incrementAndGet();
            return;
        }
        int pt = packet[1] & 0x7F;
        if (pt >= 64 && pt <= 95) {
            return; // RTCP from the bridge (REMB, keyframe requests)
        }
        SrtpSession session = srtp;
        if (session == null) {
            return;
        }
        try {
            synchronized (lock) {
                if (session.unprotectRtp(new PacketBuffer(packet, 0, len)) != SrtpErrorStatus.OK) {
                    bad.incrementAndGet();
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            bad.incrementAndGet();
            return;
        }
        if (len < 12 + 8 || (packet[1] & 0x7F) != VIDEO_PT) {
            bad.incrementAndGet();
            return;
        }
        long sentAt = ByteBuffer.wrap(packet, 12, 8).getLong();
        latencyMicros.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1_000));
        received.incrementAndGet();
    }

    long received() {
        return received.get();
    }

    /** Packets that did not decrypt, authenticate or carry what was sent. */
    long bad() {
        return bad.get();
    }

    @Override
    public void close() {
        peer.close();
        DatagramChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // it is going away either way
            }
        }
        SrtpSession session = srtp;
        if (session != null) {
            synchronized (lock) {
                session.close();
            }
        }
    }
}
