package io.livedesk.testkit.peer;

import io.livedesk.testkit.dtls.BrowserDtlsClient;
import io.livedesk.testkit.dtls.DtlsIdentity;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser's transport without a browser, on a plain loopback UDP socket: ICE by hand (controlling, it
 * nominates its one pair and answers the other side's checks), then a BouncyCastle DTLS client with use_srtp
 * ({@link BrowserDtlsClient}), which leaves the DTLS-SRTP keying material for the caller's SRTP. One reader
 * thread demultiplexes by RFC 7983 and hands every RTP/RTCP-looking datagram to the media consumer. Enough to
 * keep a real media flow through a bridge in a test; SRTP itself is the caller's (the bridge's own session
 * class lives in the media module, which this module cannot see).
 */
public final class SyntheticPeer implements AutoCloseable {
    private static final int MAGIC = 0x2112A442;

    private final String ufrag = "syn" + Long.toHexString(new SecureRandom().nextLong() & 0xFFFFFFFFL);
    private final String pwd = HexFormat.of().formatHex(randomBytes(12));
    private final DatagramSocket socket;
    private final DtlsIdentity identity = DtlsIdentity.generate();
    private final BlockingQueue<byte[]> dtlsIn = new ArrayBlockingQueue<>(64);
    private final Consumer<byte[]> media;
    private final Thread reader;
    /** Counts down once our check was answered and once we answered theirs: ICE is done. */
    private final CountDownLatch nominatedAndAnswered = new CountDownLatch(2);
    private volatile InetSocketAddress remote;
    private volatile String remoteUfrag;
    private volatile String remotePwd;
    private volatile byte[] pendingCheck;
    private volatile boolean nominated;
    private volatile boolean answered;
    private volatile boolean closed;

    /**
     * @param name   names the reader thread
     * @param media  gets each datagram whose first byte says RTP or RTCP (128-191), as received; runs on the
     *               reader thread
     */
    public SyntheticPeer(String name, Consumer<byte[]> media) throws SocketException {
        this.media = media;
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = new Thread(this::readLoop, "synthetic-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public String ufrag() {
        return ufrag;
    }

    public String pwd() {
        return pwd;
    }

    /** The sha-256 fingerprint of its DTLS certificate, as an SDP {@code a=fingerprint} carries it. */
    public String fingerprint() {
        return identity.fingerprint();
    }

    /** The loopback port of its one host candidate. */
    public int port() {
        return socket.getLocalPort();
    }

    /**
     * ICE with the remote side (nominating the one pair), then the DTLS handshake as client.
     *
     * @param exportLength bytes of DTLS-SRTP keying material to export
     * @param srtpProfiles the SRTP protection profiles offered
     * @return the exported keying material (RFC 5764 order: client key, server key, client salt, server salt)
     */
    public byte[] connect(String remoteUfrag, String remotePwd, InetSocketAddress remote, Duration timeout,
                          int exportLength, int... srtpProfiles)
            throws IOException, InterruptedException, GeneralSecurityException {
        return connect(remoteUfrag, remotePwd, remote, false, timeout, exportLength, srtpProfiles);
    }

    /**
     * As {@link #connect(String, String, InetSocketAddress, Duration, int, int...)}, with a remote side that
     * may be an ICE-lite agent, which answers checks and sends none: then only our check needs an answer.
     */
    public byte[] connect(String remoteUfrag, String remotePwd, InetSocketAddress remote, boolean remoteLite,
                          Duration timeout, int exportLength, int... srtpProfiles)
            throws IOException, InterruptedException, GeneralSecurityException {
        if (remoteLite) {
            nominatedAndAnswered.countDown();
        }
        this.remote = remote;
        this.remoteUfrag = remoteUfrag;
        this.remotePwd = remotePwd;
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (System.nanoTime() > deadline) {
                throw new IOException("ICE did not complete: nominated=" + nominated + " answered=" + answered);
            }
            byte[] check = bindingRequest();
            pendingCheck = check;
            socket.send(new DatagramPacket(check, check.length, remote));
            // A STUN retransmission every 50 ms until both directions have been checked.
        } while (!nominatedAndAnswered.await(50, TimeUnit.MILLISECONDS));
        BrowserDtlsClient client = new BrowserDtlsClient(identity, exportLength, srtpProfiles);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, new Transport());
        // Keep the DTLS association; nothing more is needed of it.
        dtls.getReceiveLimit();
        return client.exported();
    }

    /** Sends bytes as they are from this peer's own (authenticated) address. */
    public void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, remote));
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
                    media.accept(Arrays.copyOf(buf, len));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // A stand-in: whatever it cannot read it ignores.
            }
        }
    }

    private void onStun(byte[] m, InetSocketAddress from) throws IOException, GeneralSecurityException {
        int type = ((m[0] & 0xFF) << 8) | (m[1] & 0xFF);
        if (type == 0x0101) {
            byte[] check = pendingCheck;
            if (check != null && Arrays.equals(m, 8, 20, check, 8, 20) && !nominated) {
                nominated = true;
                nominatedAndAnswered.countDown();
            }
        } else if (type == 0x0001) {
            byte[] reply = bindingSuccess(Arrays.copyOfRange(m, 8, 20), from);
            socket.send(new DatagramPacket(reply, reply.length, from));
            if (!answered) {
                answered = true;
                nominatedAndAnswered.countDown();
            }
        }
    }

    private byte[] bindingRequest() throws GeneralSecurityException {
        Stun s = new Stun(0x0001, randomBytes(12));
        s.attribute(0x0006, (remoteUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8));
        s.attribute(0x0024, ByteBuffer.allocate(4).putInt(0x6E7F1EFF).array());
        s.attribute(0x802A, randomBytes(8));
        s.attribute(0x0025, new byte[0]);
        return s.finish(remotePwd);
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

    /**
     * Ends the reader and frees the socket once connected, so that a load tool can read many peers' media on
     * one thread: it binds {@link #port()} again (the remote side knows the peer by that address) and sends from
     * it. Returns the port.
     */
    public int releasePort() {
        int port = socket.getLocalPort();
        close();
        return port;
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
            socket.send(new DatagramPacket(buf, off, len, remote));
        }

        @Override
        public void close() {
        }
    }
}
