package io.livedesk.media.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;

/**
 * The bridge's one UDP port. Every endpoint's ICE agent harvests its host candidate from this
 * single {@link SinglePortUdpHarvester}, which demultiplexes incoming datagrams by the ICE
 * username of the first STUN check (RFC 7983 demux happens later, per endpoint).
 */
public final class UdpTransportHarvester implements MediaPort {
    public static final int DEFAULT_PORT = 10000;

    private static final String AWS_MAPPING_PROPERTY = "ice4j.harvest.mapping.aws.enabled";

    private final CountingHarvester harvester;

    private UdpTransportHarvester(CountingHarvester harvester) {
        this.harvester = harvester;
    }

    /**
     * Binds the bridge's UDP port.
     *
     * @param address the address to bind and advertise (e.g. {@code 127.0.0.1} in tests; the
     *                stock ice4j host harvester skips loopback, this one does not). {@code 0.0.0.0}
     *                binds every interface and works (datagrams are told apart by ICE username, not by
     *                the address they were sent to), but the candidate is then 0.0.0.0: whoever hands
     *                it to browsers must put reachable addresses in its place
     *                ({@link io.livedesk.media.bridge.PublicAddressBridge})
     * @param port    the UDP port, {@link #DEFAULT_PORT} in production
     */
    public static UdpTransportHarvester open(String address, int port) {
        // ice4j's own global switch, read when a listener is created: without the push API,
        // non-STUN packets (DTLS, SRTP) sit in a per-peer queue and never reach the component's
        // buffer callback - ICE completes and then nothing else does. Set it before creating
        // any harvester; it is the same value for the whole process.
        AbstractUdpListener.USE_PUSH_API = true;
        // Skip ice4j's AWS metadata probe (~0.8 s on the first Agent); an operator may still
        // turn it on with -Dice4j.harvest.mapping.aws.enabled=true.
        if (System.getProperty(AWS_MAPPING_PROPERTY) == null) {
            System.setProperty(AWS_MAPPING_PROPERTY, "false");
        }
        try {
            return new UdpTransportHarvester(
                    new CountingHarvester(new TransportAddress(address, port, Transport.UDP)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the bridge's UDP port " + address + ":" + port, e);
        }
    }

    @Override
    public boolean iceLite() {
        return false;
    }

    @Override
    public MediaTransport transport(String id, BridgeCertificate certificate, boolean controlling,
                                    MediaPacketListener listener) {
        return new EndpointTransport(id, this, certificate, controlling, listener);
    }

    /**
     * A relay's transport to another bridge: as an endpoint's, but a controlling relay opens its own path to each
     * remote candidate (see {@link #openPath}), since it must send the first check.
     */
    public MediaTransport relayTransport(String id, BridgeCertificate certificate, boolean controlling,
                                         MediaPacketListener listener) {
        return new EndpointTransport(id, this, certificate, controlling, listener, controlling);
    }

    /**
     * Lets the agent with local ufrag {@code localUfrag} send to {@code remote} before anything came from there.
     * ice4j's single-port harvester makes a candidate's per-peer socket only when a check from that peer arrives,
     * and fails a check to an unknown peer at once: fine toward browsers, which send checks too, but two bridges'
     * relay agents would each wait for the other. The controlling side registers the peer's address itself, as a
     * first check from it would (with an empty datagram, which the transport drops as an unknown kind).
     */
    void openPath(InetSocketAddress remote, String localUfrag) {
        harvester.openPath(remote, localUfrag);
    }

    @Override
    public String description() {
        return "ice4j (a full ICE agent per endpoint, one datagram per syscall)";
    }

    SinglePortUdpHarvester harvester() {
        return harvester;
    }

    @Override
    public String address() {
        return harvester.getLocalAddress().getHostString();
    }

    @Override
    public int port() {
        return harvester.getLocalAddress().getPort();
    }

    /**
     * STUN requests from unknown addresses whose USERNAME names no endpoint of this bridge (stale,
     * guessed or hostile): the only datagrams ice4j lets the bridge see before they are dropped. Other
     * datagrams from unknown addresses (no STUN username) are dropped inside ice4j uncounted.
     */
    @Override
    public long unknownUfragDrops() {
        return harvester.unknownUfrag.sum();
    }

    /**
     * The local ICE ufrags the shared port still routes to an agent (for leak checks and diagnostics).
     * ice4j keeps that registry private, so this reads it reflectively; empty if it cannot.
     */
    @Override
    public Set<String> registeredUfrags() {
        if (CANDIDATES_FIELD == null) {
            return Set.of();
        }
        try {
            Map<?, ?> candidates = (Map<?, ?>) CANDIDATES_FIELD.get(harvester);
            Set<String> ufrags = new HashSet<>();
            // A ConcurrentHashMap in ice4j: iterating while endpoints come and go is safe.
            for (Object key : candidates.keySet()) {
                ufrags.add(String.valueOf(key));
            }
            return Set.copyOf(ufrags);
        } catch (IllegalAccessException | ClassCastException e) {
            return Set.of();
        }
    }

    private static final Field CANDIDATES_FIELD = candidatesField();

    private static Field candidatesField() {
        try {
            Field f = SinglePortUdpHarvester.class.getDeclaredField("candidates");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        harvester.close();
    }

    /** ice4j's single-port harvester that counts first STUN checks for ufrags it does not know. */
    private static final class CountingHarvester extends SinglePortUdpHarvester {
        final LongAdder unknownUfrag = new LongAdder();

        CountingHarvester(TransportAddress address) throws IOException {
            super(address);
        }

        void openPath(InetSocketAddress remote, String localUfrag) {
            super.maybeAcceptNewSession(new Buffer(new byte[0], 0, 0), remote, localUfrag);
        }

        @Override
        protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
            MySocket socket = super.maybeAcceptNewSession(buf, remoteAddress, ufrag);
            if (socket == null) {
                unknownUfrag.increment();
            }
            return socket;
        }
    }
}
