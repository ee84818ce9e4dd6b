package io.livedesk.media.robustness;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.transport.PacketBuffer;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import io.livedesk.testkit.dtls.BrowserDtlsClient;
import io.livedesk.testkit.dtls.DtlsIdentity;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.jitsi.srtp.SrtpErrorStatus;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser stand-in on a plain loopback UDP socket: ICE-lite-ish STUN by hand (controlling, nominates
 * its one pair, answers the bridge's checks), then a BouncyCastle DTLS client with use_srtp, then SRTP
 * with the exported keys. One reader thread demultiplexes by RFC 7983; enough to keep a real media flow
 * through the bridge while something else is going on.
 */
final class SyntheticEndpoint implements AutoCloseable {
    private static final int MAGIC = 0x2112A442;

    final String ufrag = "syn" + Long.toHexString(new SecureRandom().nextLong() & 0xFFFFFFFFL);
    final String pwd = HexFormat.of().formatHex(randomBytes(12));
    private final DatagramSocket socket;
    private final DtlsIdentity identity = DtlsIdentity.generate();
    private final BlockingQueue<byte[]> dtlsIn = new ArrayBlockingQueue<>(64);
    private final Thread reader;
    private final AtomicLong rtpReceived = new AtomicLong();
    private final AtomicLong rtpReceivedAuthenticated = new AtomicLong();
    private volatile InetSocketAddress bridgeAddress;
    private volatile String bridgeUfrag;
    private volatile String bridgePwd;
    private volatile byte[] pendingCheck;
    private volatile boolean nominated;
    private volatile boolean answeredBridge;
    private volatile SrtpSession srtp;
    private final Object srtpLock = new Object();
    private volatile boolean closed;
    private int sequence;
    private int timestamp;

    SyntheticEndpoint(String name) throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::readLoop, "synthetic-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** This endpoint's transport for the bridge (Colibri2 {@code transport} of a PATCH). */
    TransportDescription description() {
        return new TransportDescription(ufrag, pwd,
                List.of(new TransportDescription.Fingerprint("sha-256", identity.fingerprint(), SetupRole.ACTIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "127.0.0.1",
                        socket.getLocalPort(), "host")), true);
    }

    /** ICE (nominating the one pair) then DTLS; SRTP keys are in place when this returns. */
    void connect(TransportDescription bridge, Duration timeout)
            throws IOException, InterruptedException, GeneralSecurityException {
        TransportDescription.Candidate c = bridge.candidates().get(0);
        bridgeAddress = new InetSocketAddress(c.ip(), c.port());
        bridgeUfrag = bridge.ufrag();
        bridgePwd = bridge.pwd();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(nominated && answeredBridge)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("ICE did not complete: nominated=" + nominated + " answered=" + answeredBridge);
            }
            byte[] check = bindingRequest();
            pendingCheck = check;
            socket.send(new DatagramPacket(check, check.length, bridgeAddress));
            Thread.sleep(50);
        }
        BrowserDtlsClient client = new BrowserDtlsClient(identity, SrtpKeys.MATERIAL_LENGTH,
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, new Transport());
        SrtpKeys keys = SrtpKeys.fromExportedMaterial(client.exported());
        // The bridge decrypts with the client half: this side encrypts with it.
        SrtpSession session = new SrtpSession(new SrtpKeys(keys.serverKey(), keys.serverSalt(), keys.clientKey(),
                keys.clientSalt()), "synthetic-" + ufrag);
        synchronized (srtpLock) {
            srtp = session;
        }
        // Keep the DTLS association; the bridge needs nothing more of it.
        dtls.getReceiveLimit();
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
        socket.send(new DatagramPacket(datagram, datagram.length, bridgeAddress));
    }

    /** RTP the bridge sent here that decrypted and authenticated. */
    long rtpReceived() {
        return rtpReceivedAuthenticated.get();
    }

    private void readLoop() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setData(buf);
                socket.receive(p);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            int len = p.getLength();
            int first = buf[0] & 0xFF;
            try {
                if (first < 4) {
                    onStun(Arrays.copyOf(buf, len), (InetSocketAddress) p.getSocketAddress());
                } else if (first >= 20 && first < 64) {
                    dtlsIn.offer(Arrays.copyOf(buf, len));
                } else if (first >= 128 && first < 192) {
                    onSrtp(Arrays.copyOf(buf, len));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // A stand-in: whatever it cannot read it ignores.
            }
        }
    }

    private void onSrtp(byte[] packet) throws GeneralSecurityException {
        int pt = packet[1] & 0x7F;
        if (pt >= 64 && pt <= 95) {
            return; // RTCP from the bridge (feedback): not counted.
        }
        rtpReceived.incrementAndGet();
        SrtpSession session = srtp;
        if (session == null) {
            return;
        }
        synchronized (srtpLock) {
            if (session.unprotectRtp(new PacketBuffer(packet, 0, packet.length)) == SrtpErrorStatus.OK) {
                rtpReceivedAuthenticated.incrementAndGet();
            }
        }
    }

    private void onStun(byte[] m, InetSocketAddress from) throws IOException, GeneralSecurityException {
        int type = ((m[0] & 0xFF) << 8) | (m[1] & 0xFF);
        if (type == 0x0101) {
            byte[] check = pendingCheck;
            if (check != null && Arrays.equals(m, 8, 20, check, 8, 20)) {
                nominated = true;
            }
        } else if (type == 0x0001) {
            byte[] reply = bindingSuccess(Arrays.copyOfRange(m, 8, 20), from);
            socket.send(new DatagramPacket(reply, reply.length, from));
            answeredBridge = true;
        }
    }

    private byte[] bindingRequest() throws GeneralSecurityException {
        Stun s = new Stun(0x0001, randomBytes(12));
        s.attribute(0x0006, (bridgeUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8));
        s.attribute(0x0024, ByteBuffer.allocate(4).putInt(0x6E7F1EFF).array());
        s.attribute(0x802A, randomBytes(8));
        s.attribute(0x0025, new byte[0]);
        return s.finish(bridgePwd);
    }

    private byte[] bindingSuccess(byte[] transactionId, InetSocketAddress from) throws GeneralSecurityException {
        Stun s = new Stun(0x0101, transactionId);
        byte[] addr = from.getAddress().getAddress();
        ByteBuffer xor = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1)
                .putShort((short) (from.getPort() ^ (MAGIC >>> 16)));
        int ip = ByteBuffer.wrap(addr).getInt() ^ MAGIC;
        xor.putInt(ip);
        s.attribute(0x0020, xor.array());
        return s.finish(pwd);
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SrtpSession session = srtp;
        if (session != null) {
            synchronized (srtpLock) {
                session.close();
            }
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A STUN message being built: attributes, then MESSAGE-INTEGRITY and FINGERPRINT. */
    private static final class Stun {
        private final ByteBuffer buf = ByteBuffer.allocate(512);

        Stun(int type, byte[] transactionId) {
            buf.putShort((short) type).putShort((short) 0).putInt(MAGIC).put(transactionId);
        }

        void attribute(int type, byte[] value) {
            buf.putShort((short) type).putShort((short) value.length).put(value);
            for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
                buf.put((byte) 0);
            }
        }

        byte[] finish(String password) throws GeneralSecurityException {
            int miAt = buf.position();
            buf.putShort(2, (short) (miAt - 20 + 24));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(buf.array(), 0, miAt);
            attribute(0x0008, mac.doFinal());
            int fpAt = buf.position();
            buf.putShort(2, (short) (fpAt - 20 + 8));
            CRC32 crc = new CRC32();
            crc.update(buf.array(), 0, fpAt);
            attribute(0x8028, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554E).array());
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /** DTLS over the socket: the reader thread queues what RFC 7983 calls DTLS. */
    private final class Transport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1400;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] p = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (p == null) {
                    return -1;
                }
                int n = Math.min(len, p.length);
                System.arraycopy(p, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SocketTimeoutException("interrupted");
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            socket.send(new DatagramPacket(buf, off, len, bridgeAddress));
        }

        @Override
        public void close() {
        }
    }
}
