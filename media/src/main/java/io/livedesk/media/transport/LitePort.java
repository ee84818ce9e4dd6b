package io.livedesk.media.transport;

import io.livedesk.media.ice.IceLite;
import io.livedesk.media.ice.StunBinding;
import io.livedesk.media.io.DatagramHandler;
import io.livedesk.media.io.MediaSocket;
import io.livedesk.media.io.Outbox;
import io.livedesk.media.rtp.PacketKind;
import io.netty.buffer.ByteBuf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bridge's port on its own Netty socket ({@link MediaSocket}) with one ICE-lite agent for every endpoint
 * ({@link IceLite}): STUN checks are answered here; every other datagram goes to the endpoint whose checks came
 * from its address (RFC 7983 demux happens in the endpoint), and a datagram from an address that passed no
 * check is dropped and counted. Sends made on the port's I/O thread while it handles a read pass (forwarding)
 * leave together at the pass's end; others are flushed at once.
 */
public final class LitePort implements MediaPort {
    /** Largest datagram taken; the bridge's own packets stay under the path MTU. */
    private static final int MAX_DATAGRAM = 1500;

    private final MediaSocket socket;
    private final IceLite ice = new IceLite();
    private final String advertised;
    private final Set<String> ufrags = ConcurrentHashMap.newKeySet();
    private final LongAdder unknown = new LongAdder();
    /**
     * The outbox of the read pass running on this thread, if any: sends then join its one flush. Set at the
     * pass's first datagram and cleared at its end, not per datagram: this is the packet path.
     */
    private final ThreadLocal<Outbox> pass = new ThreadLocal<>();
    /** The datagram being handled on this thread, copied out of Netty's buffer (decrypted in place). */
    private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[MAX_DATAGRAM]);
    private final ThreadLocal<byte[]> response = ThreadLocal.withInitial(() -> new byte[StunBinding.MAX_RESPONSE]);

    private LitePort(String advertised, MediaSocket.Settings settings, InetSocketAddress bind)
            throws InterruptedException {
        this.advertised = advertised;
        this.socket = MediaSocket.open(bind, settings, new Handler());
    }

    /**
     * Binds the port.
     *
     * @param address the address to bind and advertise ({@code 0.0.0.0}: every interface, and whoever hands the
     *                candidate to browsers must put reachable addresses in its place)
     */
    public static LitePort open(String address, int port, MediaSocket.Settings settings) {
        try {
            return new LitePort(address, settings, new InetSocketAddress(InetAddress.getByName(address), port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the media port", e);
        }
    }

    @Override
    public String address() {
        return advertised;
    }

    @Override
    public int port() {
        return socket.localAddress().getPort();
    }

    @Override
    public boolean iceLite() {
        return true;
    }

    @Override
    public MediaTransport transport(String id, BridgeCertificate certificate, boolean controlling,
                                    MediaPacketListener listener) {
        return new LiteEndpointTransport(id, this, certificate, listener);
    }

    @Override
    public long unknownUfragDrops() {
        return unknown.sum() + ice.refused();
    }

    @Override
    public Set<String> registeredUfrags() {
        return Set.copyOf(ufrags);
    }

    @Override
    public String description() {
        return "netty " + socket.transport().wire() + " (ICE-lite, " + socket.sockets() + " socket(s), batched I/O)";
    }

    @Override
    public void close() {
        socket.close();
    }

    IceLite.Path register(String localUfrag, String localPassword, String remoteUfrag, LiteEndpointTransport owner) {
        ufrags.add(localUfrag);
        return ice.register(localUfrag, localPassword, remoteUfrag, owner);
    }

    IceLite.Path restart(IceLite.Path old, String oldUfrag, String localUfrag, String localPassword, String remoteUfrag) {
        ufrags.add(localUfrag);
        ufrags.remove(oldUfrag);
        return ice.restart(old, localUfrag, localPassword, remoteUfrag);
    }

    void unregister(IceLite.Path path, String localUfrag) {
        ice.unregister(path);
        ufrags.remove(localUfrag);
    }

    /** Sends a datagram to {@code to}: in the running read pass's flush when on it, else at once. */
    void send(byte[] buf, int off, int len, InetSocketAddress to) {
        Outbox out = pass.get();
        ByteBuf datagram = (out != null ? out.alloc() : socket.alloc()).directBuffer(len).writeBytes(buf, off, len);
        if (out != null) {
            out.send(datagram, to);
        } else {
            socket.sendNow(datagram, to);
        }
    }

    /** One datagram: STUN to the agent, anything else to the endpoint its address checked in for. */
    private final class Handler implements DatagramHandler {
        @Override
        public void onDatagram(ByteBuf content, InetSocketAddress sender, Outbox out) {
            byte[] buf = scratch.get();
            int len = content.readableBytes();
            if (len > buf.length) {
                content.release();
                unknown.increment();
                return;
            }
            content.readBytes(buf, 0, len);
            content.release();
            if (pass.get() == null) {
                pass.set(out);
            }
            if (PacketKind.classify(buf, 0, len) == PacketKind.STUN) {
                byte[] reply = response.get();
                IceLite.Handled h = ice.handle(buf, 0, len, sender, reply, System.nanoTime());
                if (h.responseLength() > 0) {
                    out.send(out.alloc().directBuffer(h.responseLength()).writeBytes(reply, 0, h.responseLength()), sender);
                }
                return;
            }
            IceLite.Path path = ice.endpointAt(sender);
            if (path == null) {
                unknown.increment();
                return;
            }
            ((LiteEndpointTransport) path.owner()).received(buf, 0, len);
        }

        @Override
        public void onReadComplete(Outbox out) {
            pass.remove();
        }
    }
}
