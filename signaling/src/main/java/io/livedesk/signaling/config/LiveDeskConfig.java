package io.livedesk.signaling.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of one node, read once at start-up from {@code reference.conf} (the
 * defaults), an optional file, and environment variables named in {@code reference.conf}.
 */
public record LiveDeskConfig(String nodeId, Server server, WebSocket websocket, Auth auth, boolean demoEnabled,
                             Redis redis, Cluster cluster, Routing routing, Calls calls, Bridge bridge) {

    public record Server(String host, int port, String publicUrl, int ioThreads, int workerThreads,
                         int workerQueue, Duration shutdownGrace) {
    }

    public record WebSocket(int maxMessageBytes, int maxFrameBytes, int ratePerSecond, int rateBurst,
                            Duration helloTimeout, Duration idleTimeout, List<String> allowedOrigins) {
    }

    public record Auth(String jwtSecret, String issuer, Duration tokenTtl, boolean devTokens, String adminKey) {
        @Override
        public String toString() {
            return "Auth[issuer=" + issuer + ", tokenTtl=" + tokenTtl + ", devTokens=" + devTokens + "]";
        }
    }

    public record Redis(String url, String keyPrefix, Duration timeout) {
        public boolean enabled() {
            return !url.isBlank();
        }

        @Override
        public String toString() {
            return "Redis[enabled=" + enabled() + ", keyPrefix=" + keyPrefix + "]";
        }
    }

    public record Cluster(Duration heartbeatInterval, Duration nodeTtl, Duration reconnectGrace) {
    }

    /** A queue customers can choose, with its names per UI language. */
    public record Topic(String id, Map<String, String> names) {
    }

    public record Routing(Duration ringTimeout, Duration reofferDelay, boolean awayOnMissedOffer,
                          Duration escalationStep, Duration sweepInterval, Duration averageHandleTime,
                          int maxCustomerPriority, List<String> languages, List<Topic> topics) {
        public boolean hasTopic(String id) {
            return topics.stream().anyMatch(t -> t.id().equals(id));
        }

        public List<String> topicIds() {
            return topics.stream().map(Topic::id).toList();
        }
    }

    /**
     * @param media      {@code p2p} (browsers send media to each other) or {@code bridge} (through this node's
     *                   in-process media bridge)
     * @param iceServers as handed to browsers' RTCPeerConnection (each a map with "urls" and optional credentials)
     */
    public record Calls(String media, List<Map<String, Object>> iceServers) {
        public boolean bridged() {
            return media.equals("bridge");
        }
    }

    /**
     * The in-process media bridge, used when {@code calls.media = "bridge"}.
     *
     * @param address the address its one UDP port binds and advertises to browsers
     * @param port    that UDP port (1-65535)
     */
    public record Bridge(String address, int port) {
    }

    /** Defaults plus environment overrides. */
    public static LiveDeskConfig load() {
        return from(ConfigFactory.load());
    }

    /**
     * A file over the defaults. A setting the file names wins over its environment variable; to keep an
     * environment override for such a setting, write it in the file as {@code key = ${?ENV_NAME}} below the value.
     */
    public static LiveDeskConfig load(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("configuration file not readable: " + file);
        }
        Config fileConfig = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        return from(ConfigFactory.load(fileConfig));
    }

    /** Defaults with the given overrides (tests and tools), e.g. {@code "livedesk.server.port": 0}. */
    public static LiveDeskConfig withOverrides(Map<String, ?> overrides) {
        Config over = ConfigFactory.parseMap(overrides);
        return from(over.withFallback(ConfigFactory.load()).resolve());
    }

    static LiveDeskConfig from(Config root) {
        Config c = root.getConfig("livedesk");
        Config s = c.getConfig("server");
        Config w = c.getConfig("websocket");
        Config a = c.getConfig("auth");
        Config r = c.getConfig("redis");
        Config cl = c.getConfig("cluster");
        Config ro = c.getConfig("routing");
        Config ca = c.getConfig("calls");
        Config b = c.getConfig("bridge");
        List<Topic> topics = new ArrayList<>();
        for (ConfigObject o : ro.getObjectList("topics")) {
            Map<String, String> names = new LinkedHashMap<>();
            String id = null;
            for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
                String v = String.valueOf(e.getValue().unwrapped());
                if (e.getKey().equals("id")) {
                    id = v;
                } else {
                    names.put(e.getKey(), v);
                }
            }
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("livedesk.routing.topics: every topic needs an id");
            }
            topics.add(new Topic(id, Map.copyOf(names)));
        }
        List<Map<String, Object>> iceServers = new ArrayList<>();
        for (ConfigObject o : ca.getObjectList("ice-servers")) {
            iceServers.add(Map.copyOf(o.unwrapped()));
        }
        LiveDeskConfig cfg = new LiveDeskConfig(
                c.getString("node-id"),
                new Server(s.getString("host"), s.getInt("port"), s.getString("public-url"), s.getInt("io-threads"),
                        s.getInt("worker-threads"), s.getInt("worker-queue"), s.getDuration("shutdown-grace")),
                new WebSocket(w.getInt("max-message-bytes"), w.getInt("max-frame-bytes"), w.getInt("rate-per-second"),
                        w.getInt("rate-burst"), w.getDuration("hello-timeout"), w.getDuration("idle-timeout"),
                        stringList(w, "allowed-origins")),
                new Auth(a.getString("jwt-secret"), a.getString("issuer"), a.getDuration("token-ttl"),
                        a.getBoolean("dev-tokens"), a.getString("admin-key")),
                c.getBoolean("demo.enabled"),
                new Redis(r.getString("url"), r.getString("key-prefix"), r.getDuration("timeout")),
                new Cluster(cl.getDuration("heartbeat-interval"), cl.getDuration("node-ttl"),
                        cl.getDuration("reconnect-grace")),
                new Routing(ro.getDuration("ring-timeout"), ro.getDuration("reoffer-delay"),
                        ro.getBoolean("away-on-missed-offer"), ro.getDuration("escalation-step"),
                        ro.getDuration("sweep-interval"), ro.getDuration("average-handle-time"),
                        ro.getInt("max-customer-priority"), stringList(ro, "languages"), List.copyOf(topics)),
                new Calls(ca.getString("media"), List.copyOf(iceServers)),
                new Bridge(b.getString("address"), b.getInt("port")));
        cfg.validate();
        return cfg;
    }

    /** Accepts a list or, from an environment variable, a comma-separated string. */
    private static List<String> stringList(Config c, String path) {
        if (c.getValue(path).valueType() == com.typesafe.config.ConfigValueType.STRING) {
            String raw = c.getString(path).trim();
            return raw.isEmpty() ? List.of() : List.of(raw.split("\\s*,\\s*"));
        }
        return List.copyOf(c.getStringList(path));
    }

    private void validate() {
        if (server.port() < 0 || server.port() > 65535) {
            throw new IllegalArgumentException("livedesk.server.port out of range: " + server.port());
        }
        if (!auth.jwtSecret().isEmpty() && auth.jwtSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("livedesk.auth.jwt-secret must be at least 32 bytes");
        }
        if (routing.topics().isEmpty() || routing.languages().isEmpty()) {
            throw new IllegalArgumentException("livedesk.routing needs at least one topic and one language");
        }
        if (!calls.media().equals("p2p") && !calls.media().equals("bridge")) {
            throw new IllegalArgumentException("livedesk.calls.media must be p2p or bridge, got " + calls.media());
        }
        if (bridge.address().isBlank()) {
            throw new IllegalArgumentException("livedesk.bridge.address must not be empty");
        }
        if (bridge.port() < 1 || bridge.port() > 65535) {
            throw new IllegalArgumentException("livedesk.bridge.port out of range (1-65535): " + bridge.port());
        }
        if (websocket.maxMessageBytes() > websocket.maxFrameBytes()) {
            throw new IllegalArgumentException("livedesk.websocket.max-message-bytes must not exceed max-frame-bytes");
        }
    }
}
