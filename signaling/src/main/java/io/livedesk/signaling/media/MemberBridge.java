package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.colibri.Colibri2Client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One bridge of a {@link BridgePool} and how the pool tells it is alive. The pool also reads
 * {@link Bridge#stats()} each round, so {@code health} only adds what stats cannot say.
 *
 * @param bridge the bridge; the pool closes it
 * @param health throws when the bridge is not serving
 * @param kind   where it runs, for operators' lists
 * @param region the region configured for it ({@code livedesk.bridge.remote}); null: the one its stats name, if any
 */
public record MemberBridge(Bridge bridge, HealthCheck health, Kind kind, String region) {

    /** Where a member runs: in this process, or behind Colibri2 (a LiveDesk bridge node or a Jitsi Videobridge). */
    public enum Kind {
        IN_PROCESS("in-process"), REMOTE("remote");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** A liveness probe beside stats(). */
    @FunctionalInterface
    public interface HealthCheck {
        void check() throws BridgeException;
    }

    public MemberBridge {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(kind, "kind");
    }

    /** Without a configured region. */
    public MemberBridge(Bridge bridge, HealthCheck health, Kind kind) {
        this(bridge, health, kind, null);
    }

    /** The same bridge, configured to be in {@code region} (null: as its stats say). */
    public MemberBridge inRegion(String region) {
        return new MemberBridge(bridge, health, kind, region);
    }

    /** An in-process bridge: its stats() already say whether it is healthy; nothing else can fail. */
    public static MemberBridge inProcess(Bridge bridge) {
        return new MemberBridge(bridge, () -> { }, Kind.IN_PROCESS);
    }

    /** A remote bridge over Colibri2: {@code GET /about/health} besides {@code /colibri/stats}. */
    public static MemberBridge remote(Colibri2Client client) {
        return new MemberBridge(client, client::checkHealth, Kind.REMOTE);
    }

    /**
     * A LiveDesk bridge node or Jitsi Videobridge at {@code baseUrl}, with id {@code host:port} and the path
     * if any, e.g. {@code 10.0.0.5:8090} (the id is in logs and metric labels: an address, never customer data).
     */
    public static MemberBridge remote(URI baseUrl, Duration connectTimeout, Duration requestTimeout,
                                      Duration createTimeout) {
        return remote(new Colibri2Client(idOf(baseUrl),
                new Colibri2Client.Options(baseUrl, connectTimeout, requestTimeout, createTimeout)));
    }

    static String idOf(URI baseUrl) {
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : "https".equals(baseUrl.getScheme()) ? 443 : 80;
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath().replaceAll("/+$", "");
        return baseUrl.getHost() + ":" + port + path;
    }
}
