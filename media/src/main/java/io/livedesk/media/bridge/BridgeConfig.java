package io.livedesk.media.bridge;

import io.livedesk.media.io.MediaSocket;

import java.time.Duration;
import java.util.Objects;

import io.livedesk.media.simulcast.SimulcastSettings;

/**
 * Settings of a {@link LocalBridge}.
 *
 * @param id                    the bridge's id in logs, metrics and bridge selection
 * @param address               the address the one UDP port binds and advertises (127.0.0.1 in tests); to
 *                              bind one address (or 0.0.0.0) and advertise others, wrap the bridge in a
 *                              {@link PublicAddressBridge}
 * @param port                  the UDP port; 0 is not allowed (the advertised candidate needs the real one)
 * @param capacityPacketsPerSecond packets in + out per second at which {@code stressLevel} reaches 1.0
 * @param inactivityTimeout     an endpoint from which nothing (RTP or RTCP) arrived for this long is expired;
 *                              counted from its creation until its first packet
 * @param tickInterval          how often the housekeeper looks for newly secure, failed and idle endpoints
 * @param rembInterval          how often each sender is told its bandwidth estimate (REMB)
 * @param rembCeilingBps        the estimate sent when no receiver reports a lower one
 * @param rembFloorBps          the estimate never goes below this
 * @param keyframeMinInterval   the window keyframe requests are coalesced over, per sender stream: the first
 *                              request goes out at once, later ones within the window become one request at
 *                              its end (see {@code KeyframeRequester}). 300-500 ms: short enough that a viewer
 *                              joining a livestream sees a picture well within 2 s, long enough that a hundred
 *                              joining at once cost the sender a couple of keyframes, not a hundred
 * @param packetCacheSize       packets kept per video stream to answer NACKs
 * @param packetCacheMaxAge     how long a cached packet may be retransmitted
 * @param warmUpSrtp            run jitsi-srtp once at start so the first call does not pay ~1.2 s
 * @param mediaTimeout          an endpoint that had sent media and then sent nothing for this long is reported
 *                              {@code stopped} ({@code Bridge.mediaStatus}); a browser sends audio every 20 ms
 *                              and RTCP at least every few seconds, so 2 s of silence means it is gone. Shorter
 *                              than {@code inactivityTimeout}: it only reports, the endpoint stays
 * @param io                    the media port's I/O, one of {@link #IO_CHOICES}
 * @param nettyIo               with {@code io = netty}: its sockets and I/O threads (each endpoint's datagrams are
 *                              read, and its forwarding done, on one of them) and how long they let datagrams
 *                              gather ({@link MediaSocket.Settings})
 * @param simulcast             how receivers are moved between a simulcast sender's layers
 * @param relayPort             with {@code io = netty}: the UDP port of the ice4j port that relays to other bridges
 *                              use (a lite agent cannot check toward another lite agent), 0 for one the system
 *                              picks; fix it where a firewall between the bridges must name it. With {@code io =
 *                              ice4j} relays share the bridge's port and this must be 0 or that port
 */
public record BridgeConfig(String id, String address, int port, long capacityPacketsPerSecond,
                           Duration inactivityTimeout, Duration tickInterval, Duration rembInterval,
                           long rembCeilingBps, long rembFloorBps, Duration keyframeMinInterval,
                           int packetCacheSize, Duration packetCacheMaxAge, boolean warmUpSrtp,
                           Duration mediaTimeout, String io, MediaSocket.Settings nettyIo,
                           SimulcastSettings simulcast, int relayPort) {

    public static final long DEFAULT_REMB_CEILING_BPS = 2_500_000;
    public static final Duration DEFAULT_MEDIA_TIMEOUT = Duration.ofSeconds(2);
    /**
     * The media port's I/O: {@code ice4j} (a full ICE agent per endpoint on ice4j's single-port harvester, one
     * datagram per syscall), or {@code netty} (the bridge's own port: ICE-lite, batched receive and send; epoll
     * where its native library loads, else NIO).
     */
    public static final java.util.List<String> IO_CHOICES = java.util.List.of("ice4j", "netty");

    public BridgeConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
        if (capacityPacketsPerSecond <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        requirePositive("inactivityTimeout", inactivityTimeout);
        requirePositive("tickInterval", tickInterval);
        requirePositive("rembInterval", rembInterval);
        requirePositive("keyframeMinInterval", keyframeMinInterval);
        requirePositive("packetCacheMaxAge", packetCacheMaxAge);
        requirePositive("mediaTimeout", mediaTimeout);
        Objects.requireNonNull(nettyIo, "nettyIo");
        Objects.requireNonNull(simulcast, "simulcast");
        if (!IO_CHOICES.contains(io)) {
            throw new IllegalArgumentException("io must be one of " + IO_CHOICES + ": " + io);
        }
        if (rembFloorBps <= 0 || rembCeilingBps < rembFloorBps) {
            throw new IllegalArgumentException("need 0 < rembFloorBps <= rembCeilingBps");
        }
        if (packetCacheSize < 1 || packetCacheSize > 32768) {
            throw new IllegalArgumentException("packetCacheSize must be 1-32768");
        }
        if (relayPort < 0 || relayPort > 65535) {
            throw new IllegalArgumentException("relayPort must be 0-65535: " + relayPort);
        }
        if (io.equals("ice4j") && relayPort != 0 && relayPort != port) {
            throw new IllegalArgumentException("with io ice4j relays use the bridge's port " + port
                    + "; relayPort " + relayPort + " would not be used");
        }
        if (io.equals("netty") && relayPort == port) {
            throw new IllegalArgumentException("relayPort " + relayPort + " is the media port itself");
        }
    }

    /** Production-like defaults on the given address and port. */
    public static BridgeConfig defaults(String address, int port) {
        return new BridgeConfig("bridge-" + port, address, port, 200_000, Duration.ofSeconds(60),
                Duration.ofMillis(100), Duration.ofMillis(500), DEFAULT_REMB_CEILING_BPS, 100_000,
                Duration.ofMillis(300), 1024, Duration.ofSeconds(1), true, DEFAULT_MEDIA_TIMEOUT, "ice4j",
                MediaSocket.Settings.defaults(), SimulcastSettings.defaults(), 0);
    }

    public BridgeConfig withId(String newId) {
        return new BridgeConfig(newId, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withInactivityTimeout(Duration timeout) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, timeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withCapacity(long packetsPerSecond) {
        return new BridgeConfig(id, address, port, packetsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withRembCeiling(long bps) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, bps, Math.min(rembFloorBps, bps), keyframeMinInterval, packetCacheSize,
                packetCacheMaxAge, warmUpSrtp, mediaTimeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withKeyframeMinInterval(Duration window) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, window, packetCacheSize, packetCacheMaxAge, warmUpSrtp, mediaTimeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withWarmUpSrtp(boolean warmUp) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUp, mediaTimeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withMediaTimeout(Duration timeout) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, timeout, io, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withIo(String choice) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, choice, nettyIo, simulcast, relayPort);
    }

    public BridgeConfig withSimulcast(SimulcastSettings settings) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, io, nettyIo, settings, relayPort);
    }

    public BridgeConfig withNettyIo(MediaSocket.Settings settings) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, io, settings, simulcast, relayPort);
    }

    public BridgeConfig withRelayPort(int newRelayPort) {
        return new BridgeConfig(id, address, port, capacityPacketsPerSecond, inactivityTimeout, tickInterval,
                rembInterval, rembCeilingBps, rembFloorBps, keyframeMinInterval, packetCacheSize, packetCacheMaxAge,
                warmUpSrtp, mediaTimeout, io, nettyIo, simulcast, newRelayPort);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
