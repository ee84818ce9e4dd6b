package io.livedesk.bench.sockets;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.rtp.Vp8Descriptor;
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
 * <p>As a simulcast sender ({@link #sendLayer}) it sends each layer on its own SSRC with the rid header extension and
 * VP8 bytes the bridge parses ({@link Vp8Payload}), and the mid extension too when the server needs it ({@link #sendMid},
 * Janus); as a receiver of a simulcast track ({@link #expectSimulcast}) it
 * accepts whichever layer the server rewrote onto the SSRC, checked by a {@link LayerCheck}.
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
    /** The id plain packets carry the transport-wide sequence number under (declared so to a LiveDesk bridge). */
    static final int TRANSPORT_CC_EXTENSION_ID = 3;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong bad = new AtomicLong();
    private final AtomicReference<String> firstBad = new AtomicReference<>();
    private final Map<Integer, ExpectedStream> expected = new ConcurrentHashMap<>();
    private final Map<Integer, LayerCheck> simulcast = new ConcurrentHashMap<>();
    /** Per layer SSRC sent: sequence number, timestamp, picture id (under {@link #lock}). */
    private final Map<Long, int[]> layerState = new ConcurrentHashMap<>();
    private final byte[] layerRtp = new byte[12 + 8 + Vp8Payload.MAX_LENGTH + PAYLOAD];
    /** The reader thread's view of a received VP8 payload. */
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    private final Object lock = new Object();
    private volatile SrtpSession srtp;
    /** A plain packet: the header, one word of header extension (the transport-wide number), the payload. */
    private final byte[] rtp = new byte[12 + 8 + PAYLOAD];
    /** The transport-wide sequence number of the next plain packet (under {@link #lock}). */
    private int transportWide;
    /** Null: the peer's own reader thread receives the media. */
    private final SharedReceiver shared;
    private volatile DatagramChannel channel;
    private volatile InetSocketAddress bridgeAddress;
    private int sequence;
    private int timestamp;
    /** The mid a simulcast sender's layers carry in the mid header extension; null: none (LiveDesk needs none). */
    private volatile String layerMid;

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

    /**
     * Packets on {@code wireSsrc} are a simulcast track's layers rewritten onto it (payload type {@link #VIDEO_PT});
     * this receiver should end up on {@code expected}. Call before media flows.
     */
    LayerCheck expectSimulcast(long wireSsrc, SimulcastLayers.Layer expected) {
        LayerCheck check = new LayerCheck(expected);
        simulcast.put((int) wireSsrc, check);
        return check;
    }

    /**
     * Makes {@link #sendLayer} put the mid header extension ({@link SimulcastLayers#MID_EXTENSION_ID}) with {@code mid}
     * (one character) on every layer's packet, as Chromium does on a new stream: Janus maps an SSRC it has not seen
     * to its m-line by it. Call before media flows.
     */
    void sendMid(String mid) {
        if (mid.length() != 1) {
            throw new IllegalArgumentException("a one-character mid fits the extension word: " + mid);
        }
        layerMid = mid;
    }

    /**
     * Sends the next packet of a simulcast layer, as a browser does: its own SSRC, sequence numbers and picture ids,
     * the rid header extension, a frame's first packet starting with the VP8 frame tag (a keyframe's with its size).
     *
     * @param marker   the frame's last packet: the next one starts a frame
     * @param keyframe the frame this packet is in is a keyframe
     */
    void sendLayer(SimulcastLayers.Layer layer, boolean marker, boolean keyframe)
            throws IOException, GeneralSecurityException {
        byte[] wire;
        synchronized (lock) {
            int[] state = layerState.computeIfAbsent(layer.ssrc(), k -> new int[] {0, 0, 0, 1});
            int seq = ++state[0] & 0xFFFF;
            boolean startOfFrame = state[3] == 1;
            byte[] b = layerRtp;
            b[0] = (byte) 0x90; // a header extension follows
            b[1] = (byte) (VIDEO_PT | (marker ? 0x80 : 0));
            b[2] = (byte) (seq >> 8);
            b[3] = (byte) seq;
            ByteBuffer.wrap(b, 4, 8).putInt(state[1]).putInt((int) layer.ssrc());
            // One-byte header extensions (RFC 8285): the rid, and the mid or padding, one word either way.
            b[12] = (byte) 0xBE;
            b[13] = (byte) 0xDE;
            b[14] = 0;
            b[15] = 1;
            b[16] = (byte) ((SimulcastLayers.RID_EXTENSION_ID << 4) | (layer.rid().length() - 1));
            b[17] = (byte) layer.rid().charAt(0);
            String mid = layerMid;
            b[18] = mid == null ? 0 : (byte) (SimulcastLayers.MID_EXTENSION_ID << 4);
            b[19] = mid == null ? 0 : (byte) mid.charAt(0);
            int p = 20 + Vp8Payload.write(b, 20, state[2] & 0x7FFF, startOfFrame, keyframe, layer.width(),
                    layer.height());
            Payload.write(b, p, System.nanoTime(), layer.ssrc(), state[1], seq);
            int length = p + PAYLOAD;
            state[3] = marker ? 1 : 0;
            if (marker) {
                state[1] += SimulcastLayers.TICKS_PER_FRAME;
                state[2]++;
            }
            PacketBuffer packet = PacketBuffer.copyOf(b, 0, length, SrtpSession.MAX_PROTECTION_OVERHEAD);
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

    /** Sends the next video packet on {@code ssrc}, its payload saying when and what was sent. */
    void send(long ssrc, boolean marker) throws IOException, GeneralSecurityException {
        byte[] wire;
        synchronized (lock) {
            int seq = ++sequence & 0xFFFF;
            if (marker) {
                timestamp += 3000;
            }
            rtp[0] = (byte) 0x90; // a header extension follows
            rtp[1] = (byte) (VIDEO_PT | (marker ? 0x80 : 0));
            rtp[2] = (byte) (seq >> 8);
            rtp[3] = (byte) seq;
            ByteBuffer.wrap(rtp, 4, 8).putInt(timestamp).putInt((int) ssrc);
            // As a browser sends with transport-cc negotiated (RFC 8285 one-byte form): the transport-wide number,
            // which a LiveDesk bridge reads for its feedback and renumbers per receiver.
            int wide = transportWide++ & 0xFFFF;
            rtp[12] = (byte) 0xBE;
            rtp[13] = (byte) 0xDE;
            rtp[14] = 0;
            rtp[15] = 1;
            rtp[16] = (byte) ((TRANSPORT_CC_EXTENSION_ID << 4) | 1);
            rtp[17] = (byte) (wide >> 8);
            rtp[18] = (byte) wide;
            rtp[19] = 0;
            Payload.write(rtp, 20, System.nanoTime(), ssrc, timestamp, seq);
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
        LayerCheck layers = stream == null ? simulcast.get(wireSsrc) : null;
        if (layers != null) {
            stream = ExpectedStream.SIMULCAST;
        }
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
        if (layers != null) {
            return checkLayer(layers, packet, header, offset, payloadAt, payloadLength);
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

    /** A simulcast layer's packet: VP8 bytes, then the payload, of a layer rewritten as {@link LayerCheck} wants. */
    private String checkLayer(LayerCheck layers, byte[] packet, ByteBuffer header, int offset, int payloadAt,
                              int payloadLength) {
        int at = Vp8Payload.skip(vp8, packet, payloadAt, payloadLength);
        if (at < 0) {
            return "VP8 payload descriptor not as sent";
        }
        Payload sent = Payload.read(packet, at, payloadAt + payloadLength - at);
        if (sent == null) {
            return "payload not as sent after the VP8 bytes";
        }
        String wrong = layers.accept(sent.ssrc(), sent.sequence(), sent.rtpTimestamp(),
                header.getShort(offset + 2) & 0xFFFF, header.getInt(offset + 4), vp8.keyframe(),
                Vp8Descriptor.pictureId(packet, vp8.pictureIdOffset(), vp8.pictureIdBits()));
        if (wrong != null) {
            return wrong;
        }
        long delay = System.nanoTime() - sent.sentNanos();
        if (delay < 0 || delay > MAX_PLAUSIBLE_DELAY_NANOS) {
            return "implausible send time";
        }
        latencyMicros.recordValue(delay / 1_000);
        received.incrementAndGet();
        return null;
    }

    /** The simulcast checks of this receiver (one per simulcast SSRC it expects). */
    java.util.Collection<LayerCheck> layerChecks() {
        return simulcast.values();
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
        /** Stands for a simulcast SSRC in the checks common to every stream (its payload type). */
        static final ExpectedStream SIMULCAST = new ExpectedStream(-1, VIDEO_PT);
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
