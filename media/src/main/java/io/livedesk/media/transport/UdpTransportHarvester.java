package io.livedesk.media.transport;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

/**
 * The bridge's one UDP port. Every endpoint's ICE agent harvests its host candidate from this
 * single {@link SinglePortUdpHarvester}, which demultiplexes incoming datagrams by the ICE
 * username of the first STUN check (RFC 7983 demux happens later, per endpoint).
 */
public final class UdpTransportHarvester implements AutoCloseable {
    public static final int DEFAULT_PORT = 10000;

    private static final String AWS_MAPPING_PROPERTY = "ice4j.harvest.mapping.aws.enabled";

    private final SinglePortUdpHarvester harvester;

    private UdpTransportHarvester(SinglePortUdpHarvester harvester) {
        this.harvester = harvester;
    }

    /**
     * Binds the bridge's UDP port.
     *
     * @param address the address to bind and advertise (e.g. {@code 127.0.0.1} in tests; the
     *                stock ice4j host harvester skips loopback, this one does not)
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
                    new SinglePortUdpHarvester(new TransportAddress(address, port, Transport.UDP)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the bridge's UDP port " + address + ":" + port, e);
        }
    }

    SinglePortUdpHarvester harvester() {
        return harvester;
    }

    public String address() {
        return harvester.getLocalAddress().getHostString();
    }

    public int port() {
        return harvester.getLocalAddress().getPort();
    }

    @Override
    public void close() {
        harvester.close();
    }
}
