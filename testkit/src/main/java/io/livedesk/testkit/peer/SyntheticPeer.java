package io.livedesk.testkit.peer;

import io.livedesk.testkit.dtls.BrowserDtlsClient;
import io.livedesk.testkit.dtls.BrowserDtlsServer;
import io.livedesk.testkit.dtls.DtlsIdentity;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser's transport without a browser, on a plain loopback UDP socket: ICE by hand, then a BouncyCastle
 * DTLS handshake with use_srtp, which leaves the DTLS-SRTP keying material for the caller's SRTP. One reader
 * thread demultiplexes by RFC 7983 and hands every RTP/RTCP-looking datagram to the media consumer. Enough to
 * keep a real media flow through a bridge in a test; SRTP itself is the caller's (the bridge's own session
 * class lives in the media module, which this module cannot see).
 *
 * <p>By default it takes the roles a browser takes towards the LiveDesk bridge: ICE controlling (it nominates
 * its one pair and answers the other side's checks) and DTLS client ({@link BrowserDtlsClient}). A server that
 * offers to the browser with full ICE (Janus for its subscribers) makes the browser ICE controlled: then it
 * waits for the other side to nominate. A server that answers the browser's {@code actpass} with {@code active}
 * (Janus for its publishers) makes it the DTLS server ({@link BrowserDtlsServer}).
 */
public final class SyntheticPeer implements AutoCloseable {
    private static final int MAGIC = 0x2112A442;
    /** How often a connectivity check is sent again until ICE is done. */
    private static final long CHECK_INTERVAL_MS = 50;
    private static final int ATTR_USE_CANDIDATE = 0x0025;

    /** Its ICE role (RFC 8445 section 6.1.1): the offerer of a full-ICE pair, or any agent facing ICE-lite, controls. */
    public enum IceRole { CONTROLLING, CONTROLLED }

    /** Its DTLS role, from the SDP's {@code a=setup} (RFC 5763): {@code active} is the client. */
    public enum DtlsRole { CLIENT, SERVER }

    private final String ufrag = "syn" + Long.toHexString(new SecureRandom().nextLong() & 0xFFFFFFFFL);
    private final String pwd = HexFormat.of().formatHex(randomBytes(12));
    private final DatagramSocket socket;
    private final DtlsIdentity identity = DtlsIdentity.generate();
    private final BlockingQueue<byte[]> dtlsIn = new ArrayBlockingQueue<>(64);
    private final Consumer<byte[]> media;
    private final Thread reader;
    /** Guards the three ICE progress flags below and is notified when one of them changes. */
    private final Object iceProgress = new Object();
    /** Our check was answered (as controlling agent: our nominated pair is selected). */
    private boolean nominated;
    /** We answered a check of theirs. */
    private boolean answered;
    /** We answered a check of theirs that carried USE-CANDIDATE: as controlled agent, the pair is selected. */
    private boolean answeredNomination;
    private volatile InetSocketAddress remote;
    private volatile String remoteUfrag;
    private volatile String remotePwd;
    private volatile IceRole iceRole = IceRole.CONTROLLING;
    private volatile byte[] pendingCheck;
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
        return connect(remoteUfrag, remotePwd, remote, remoteLite, IceRole.CONTROLLING, DtlsRole.CLIENT, timeout,
                exportLength, srtpProfiles);
    }

    /**
     * ICE and DTLS in the roles the SDP exchange gave this side. Controlling, ICE is done once our check (which
     * nominates) was answered and, unless the remote side is ICE-lite, once we answered one of theirs.
     * Controlled, once our check was answered and we answered one of theirs that nominates (USE-CANDIDATE).
     * Then the DTLS handshake as client or server, within what is left of {@code timeout}.
     *
     * @param exportLength bytes of DTLS-SRTP keying material to export
     * @param srtpProfiles the SRTP protection profiles offered (client) or accepted (server), in order of preference
     * @return the exported keying material (RFC 5764 order: client key, server key, client salt, server salt)
     */
    public byte[] connect(String remoteUfrag, String remotePwd, InetSocketAddress remote, boolean remoteLite,
                          IceRole iceRole, DtlsRole dtlsRole, Duration timeout, int exportLength, int... srtpProfiles)
            throws IOException, InterruptedException, GeneralSecurityException {
        if (remoteLite && iceRole == IceRole.CONTROLLED) {
            throw new IllegalArgumentException("an ICE-lite remote side never controls: this side must");
        }
        this.iceRole = iceRole;
        this.remote = remote;
        this.remoteUfrag = remoteUfrag;
        this.remotePwd = remotePwd;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (iceProgress) {
                if (iceDone(remoteLite)) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                synchronized (iceProgress) {
                    throw new IOException("ICE did not complete (" + iceRole + "): our check answered=" + nominated
                            + ", theirs answered=" + answered + ", their nomination answered=" + answeredNomination);
                }
            }
            byte[] check = bindingRequest();
            pendingCheck = check;
            socket.send(new DatagramPacket(check, check.length, remote));
            // A STUN retransmission every CHECK_INTERVAL_MS until both directions have been checked.
            synchronized (iceProgress) {
                if (!iceDone(remoteLite)) {
                    iceProgress.wait(CHECK_INTERVAL_MS);
                }
            }
        }
        int handshakeMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        if (dtlsRole == DtlsRole.SERVER) {
            BrowserDtlsServer server = new BrowserDtlsServer(identity, exportLength, handshakeMillis, srtpProfiles);
            DTLSServerProtocol protocol = new DTLSServerProtocol();
            // A browser's DTLS server sends no HelloVerifyRequest; the client's address is ICE-checked already.
            protocol.setVerifyRequests(false);
            DTLSTransport dtls = protocol.accept(server, new Transport());
            dtls.getReceiveLimit();
            return server.exported();
        }
        BrowserDtlsClient client = new BrowserDtlsClient(identity, exportLength, srtpProfiles);
        DTLSTransport dtls = new DTLSClientProtocol().connect(client, new Transport());
        // Keep the DTLS association; nothing more is needed of it.
        dtls.getReceiveLimit();
        return client.exported();
    }

    /** Whether ICE is done in this side's role; the caller holds {@link #iceProgress}. */
    private boolean iceDone(boolean remoteLite) {
        if (!nominated) {
            return false;
        }
        return iceRole == IceRole.CONTROLLING ? remoteLite || answered : answeredNomination;
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
            if (check != null && Arrays.equals(m, 8, 20, check, 8, 20)) {
                progress(() -> nominated = true);
            }
        } else if (type == 0x0001) {
            byte[] reply = bindingSuccess(Arrays.copyOfRange(m, 8, 20), from);
            socket.send(new DatagramPacket(reply, reply.length, from));
            boolean nominates = hasAttribute(m, ATTR_USE_CANDIDATE);
            progress(() -> {
                answered = true;
                answeredNomination |= nominates;
            });
        }
    }

    private void progress(Runnable change) {
        synchronized (iceProgress) {
            change.run();
            iceProgress.notifyAll();
        }
    }

    /** Whether a STUN message carries the attribute (walks the TLVs after the 20-byte header). */
    private static boolean hasAttribute(byte[] m, int wanted) {
        int at = 20;
        int end = Math.min(m.length, 20 + (((m[2] & 0xFF) << 8) | (m[3] & 0xFF)));
        while (at + 4 <= end) {
            int type = ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
            int length = ((m[at + 2] & 0xFF) << 8) | (m[at + 3] & 0xFF);
            if (type == wanted) {
                return true;
            }
            at += 4 + (length + 3) / 4 * 4;
        }
        return false;
    }

    private byte[] bindingRequest() throws GeneralSecurityException {
        Stun s = new Stun(0x0001, randomBytes(12));
        s.attribute(0x0006, (remoteUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8));
        s.attribute(0x0024, ByteBuffer.allocate(4).putInt(0x6E7F1EFF).array());
        if (iceRole == IceRole.CONTROLLING) {
            s.attribute(0x802A, randomBytes(8));
            s.attribute(ATTR_USE_CANDIDATE, new byte[0]);
        } else {
            s.attribute(0x8029, randomBytes(8));
        }
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
