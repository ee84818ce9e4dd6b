package io.livedesk.media.transport;

import java.util.Set;

/**
 * The bridge's one UDP port and how its endpoints' transports are made on it: ice4j's single-port harvester
 * with a full ICE agent per endpoint ({@link UdpTransportHarvester}), or the bridge's own Netty port with one
 * ICE-lite agent for all ({@link LitePort}). Chosen at start-up ({@code bridge.io}).
 */
public interface MediaPort extends AutoCloseable {
    String address();

    int port();

    /** Whether the bridge answers as an ICE-lite agent (its SDP then says {@code a=ice-lite}). */
    boolean iceLite();

    /** A new endpoint's transport on this port. */
    MediaTransport transport(String id, BridgeCertificate certificate, boolean controlling, MediaPacketListener listener);

    /** Checks (or datagrams) that named or came from no endpoint of this port: stale, guessed or hostile. */
    long unknownUfragDrops();

    /** The local ICE ufrags the port still routes to an endpoint (leak checks, diagnostics). */
    Set<String> registeredUfrags();

    /** What the port is, for the start-up log line. */
    String description();

    @Override
    void close();
}
