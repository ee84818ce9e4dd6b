package io.livedesk.bench.sockets;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import io.livedesk.testkit.peer.SyntheticPeer;
import io.livedesk.testkit.peer.SyntheticPeer.DtlsRole;
import io.livedesk.testkit.peer.SyntheticPeer.IceRole;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A synthetic WebRTC endpoint on its own loopback UDP socket: ICE and a real DTLS 1.2 handshake (testkit's
 * {@link SyntheticPeer}), then SRTP with the exported keys. As a sender it protects VP8-sized RTP whose payload
 * says when and what was sent ({@link Payload}); as a receiver it decrypts every packet the server forwards,
 * checks it against the stream it expects on that SSRC and records the one-way time the server added (both
 * ends share this JVM's clock).
 *
 * <p>A server may rewrite SSRC, sequence number and timestamp (Janus does, per subscriber): the receiver is told
 * which wire SSRC carries which sent stream ({@link #expect}) and checks that the rewrite is the same for every
 * packet of the stream, and that the payload arrived as sent.
 *
 * <p>With a {@link SharedReceiver}, once connected its media moves to a channel on the same port that the shared
 * receiver reads.
 */
final class SrtpPeer implements AutoCloseable {
    static final int PAYLOAD = 1000;
    static final int VIDEO_PT = 96;
    private static final String LOOPBACK = "127.0.0.1";
    /** Older than this, a send time in a payload is not one this run wrote. */
    private static final long MAX_PLAUSIBLE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final SyntheticPeer peer;
    private final Recorder latencyMicros;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    private final AtomicReference<String> firstBad = new AtomicReference<>();
    private final Map<Integer, ExpectedStream> expected = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile SrtpSession srtp;
    private final byte[] rtp = new byte[12 + PAYLOAD];
    /** Null: the peer's own reader thread receives the media. */
    private final SharedReceiver shared;
    private volatile DatagramChannel channel;
    private volatile InetSocketAddress bridgeAddress;
    private int sequence;
    private int timestamp;

    /** Reading its own socket. */
    SrtpPeer(String name, Recorder latencyMicros) throws SocketException {
        this(name, latencyMicros, null);
    }

    SrtpPeer(String name, Recorder latencyMicros, SharedReceiver shared) throws SocketException {
        this.latencyMicros = latencyMicros;
        this.shared = shared;
        this.peer = new SyntheticPeer(name, this::onPacket);
    }

    /** Its transport as the browser side of a LiveDesk endpoint (DTLS client: {@code active}). */
    TransportDescription description() {
        return local(SetupRole.ACTIVE);
    }

    /** Its ICE credentials, DTLS fingerprint and one loopback host candidate, with the given setup role. */
    TransportDescription local(SetupRole setup) {
        return new TransportDescription(peer.ufrag(), peer.pwd(),
                List.of(new TransportDescription.Fingerprint("sha-256", peer.fingerprint(), setup)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, LOOPBACK, peer.port(), "host")),
                true);
    }

    /** Connects to a LiveDesk bridge endpoint: this side controls ICE and is the DTLS client. */
    void connect(TransportDescription bridge, Duration timeout) throws IOException, InterruptedException,
            GeneralSecurityException {
        connect(bridge, IceRole.CONTROLLING, DtlsRole.CLIENT, timeout);
    }

    /** ICE and DTLS in the given roles with the remote side's first candidate, then SRTP with the exported keys. */
    void connect(TransportDescription remote, IceRole ice, DtlsRole dtls, Duration timeout)
            throws IOException, InterruptedException, GeneralSecurityException {
        TransportDescription.Candidate c = remote.candidates().get(0);
        byte[] material = peer.connect(remote.ufrag(), remote.pwd(), new InetSocketAddress(c.ip(), c.port()),
                remote.iceLite(), ice, dtls, timeout, SrtpKeys.MATERIAL_LENGTH,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
        bridgeAddress = new InetSocketAddress(c.ip(), c.port());
        if (shared != null) {
            // Same address, so the server, which knows the peer by the address its checks came from, goes on.
            int port = peer.releasePort();
            channel = shared.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), this::onPacket);
        }
        // SrtpSession receives with the "client" keys and sends with the "server" ones, as the bridge (a DTLS
        // server) does: a DTLS client swaps them, since it sends with the client keys.
        srtp = new SrtpSession(dtls == DtlsRole.SERVER ? keys
                : new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(), keys.clientSalt()),
                "bench-" + peer.ufrag());
    }

    /**
     * Packets on {@code wireSsrc} with payload type {@code payloadType} are the stream sent on {@code sentSsrc};
     * any other SSRC is counted bad. Call before media flows.
     */
    void expect(long wireSsrc, long sentSsrc, int payloadType) {
        expected.put((int) wireSsrc, new ExpectedStream(sentSsrc, payloadType));
    }

    /** Sends the next video packet on {@code ssrc}, its payload saying when and what was sent. */
    void send(long ssrc, boolean marker) throws IOException, GeneralSecurityException {
        byte[] wire;
        synchronized (lock) {
            int seq = ++sequence & 0xFFFF;
            if (marker) {
                timestamp += 3000;
            }
            rtp[0] = (byte) 0x80;
            rtp[1] = (byte) (VIDEO_PT | (marker ? 0x80 : 0));
            rtp[2] = (byte) (seq >> 8);
            rtp[3] = (byte) seq;
            ByteBuffer.wrap(rtp, 4, 8).putInt(timestamp).putInt((int) ssrc);
            Payload.write(rtp, 12, System.nanoTime(), ssrc, timestamp, seq);
            PacketBuffer packet = PacketBuffer.copyOf(rtp, 0, rtp.length, SrtpSession.MAX_PROTECTION_OVERHEAD);
            if (srtp.protectRtp(packet) != SrtpErrorStatus.OK) {
                throw new GeneralSecurityException("protect failed");
            }
            wire = Arrays.copyOfRange(packet.getBuffer(), packet.getOffset(), packet.getOffset() + packet.getLength());
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
            return; // RTCP from the server (sender reports, REMB, keyframe requests)
        }
        SrtpSession session = srtp;
        if (session == null) {
            return;
        }
        PacketBuffer buffer = new PacketBuffer(packet, 0, len);
        try {
            synchronized (lock) {
                if (session.unprotectRtp(buffer) != SrtpErrorStatus.OK) {
                    bad("SRTP unprotect failed");
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            bad("SRTP unprotect threw " + e);
            return;
        }
        String wrong = check(packet, buffer.getOffset(), buffer.getLength());
        if (wrong != null) {
            bad(wrong);
        }
    }

    /** Checks one decrypted packet; records its latency and returns null if it is what was sent. */
    private String check(byte[] packet, int offset, int length) {
        if (length < 12) {
            return "shorter than an RTP header";
        }
        ByteBuffer header = ByteBuffer.wrap(packet, offset, length);
        int wireSsrc = header.getInt(offset + 8);
        ExpectedStream stream = expected.get(wireSsrc);
        if (stream == null) {
            return "unexpected SSRC " + Integer.toUnsignedString(wireSsrc);
        }
        if ((packet[offset + 1] & 0x7F) != stream.payloadType) {
            return "payload type " + (packet[offset + 1] & 0x7F) + " on SSRC " + Integer.toUnsignedString(wireSsrc);
        }
        int payloadAt = offset + 12 + 4 * (packet[offset] & 0x0F);
        if ((packet[offset] & 0x10) != 0) { // a header extension block: skip it
            if (payloadAt + 4 > offset + length) {
                return "truncated header extension";
            }
            payloadAt += 4 + 4 * (((packet[payloadAt + 2] & 0xFF) << 8) | (packet[payloadAt + 3] & 0xFF));
        }
        int payloadLength = offset + length - payloadAt;
        if ((packet[offset] & 0x20) != 0 && payloadLength > 0) {
            payloadLength -= packet[offset + length - 1] & 0xFF; // RTP padding
        }
        Payload sent = Payload.read(packet, payloadAt, payloadLength);
        if (sent == null) {
            return "payload not as sent (" + payloadLength + " bytes)";
        }
        if (sent.ssrc() != stream.sentSsrc) {
            return "SSRC " + Integer.toUnsignedString(wireSsrc) + " carried stream " + sent.ssrc() + ", not "
                    + stream.sentSsrc;
        }
        int wireSeq = header.getShort(offset + 2) & 0xFFFF;
        int wireTs = header.getInt(offset + 4);
        if (!stream.sameRewrite(wireSeq - sent.sequence(), wireTs - sent.rtpTimestamp())) {
            return "sequence number or timestamp rewritten inconsistently on SSRC "
                    + Integer.toUnsignedString(wireSsrc);
        }
        long delay = System.nanoTime() - sent.sentNanos();
        if (delay < 0 || delay > MAX_PLAUSIBLE_DELAY_NANOS) {
            return "implausible send time";
        }
        latencyMicros.recordValue(delay / 1_000);
        received.incrementAndGet();
        return null;
    }

    private void bad(String why) {
        bad.incrementAndGet();
        firstBad.compareAndSet(null, why);
    }

    long received() {
        return received.get();
    }

    /** Packets that did not decrypt, authenticate or carry what was sent. */
    long bad() {
        return bad.get();
    }

    /** Why the first bad packet was bad; null if none was. */
    String firstBadReason() {
        return firstBad.get();
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

    /**
     * One sent stream as a receiver expects it. The server may offset sequence numbers and timestamps (the
     * first packet tells by how much) but must keep the offset: only this peer's reader thread calls it.
     */
    private static final class ExpectedStream {
        private final long sentSsrc;
        private final int payloadType;
        private boolean seen;
        private int sequenceOffset;
        private int timestampOffset;

        ExpectedStream(long sentSsrc, int payloadType) {
            this.sentSsrc = sentSsrc;
            this.payloadType = payloadType;
        }

        boolean sameRewrite(int sequenceDelta, int timestampDelta) {
            int seq = sequenceDelta & 0xFFFF;
            if (!seen) {
                seen = true;
                sequenceOffset = seq;
                timestampOffset = timestampDelta;
                return true;
            }
            return seq == sequenceOffset && timestampDelta == timestampOffset;
        }
    }
}
