package io.livedesk.signaling.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;

import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.simulcast.SimulcastSettings;
import io.livedesk.media.colibri.Colibri2Client;
import io.livedesk.media.io.MediaSocket;
import io.livedesk.media.bridge.PublicAddressBridge;
import io.livedesk.signaling.routing.OpeningHours;
import io.livedesk.speech.SpeechConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole configuration of one node, read once at start-up from {@code reference.conf} (the
 * defaults), an optional file, and environment variables named in {@code reference.conf}.
 *
 * <p>{@code region}: where this signaling node is ({@code livedesk.region}), the region of the people who sign in on
 * it unless their token names theirs; null when not set.
 */
public record LiveDeskConfig(String nodeId, String region, Server server, WebSocket websocket, Auth auth, boolean demoEnabled,
                             Redis redis, Cluster cluster, Routing routing, Calls calls, Bridge bridge, Live live,
                             Speech speech, Wallboard wallboard) {

    /**
     * The supervisors' wallboard.
     *
     * @param interval           how often a node with wallboards open reads the stores (changes are pushed at most this often)
     * @param serviceLevelTarget a request answered within it counts toward the service level
     * @param timeZone           the bank's time zone: the day the counters belong to
     * @param retention          how long a day's counters are kept
     * @param maxCalls           live calls listed at most
     */
    public record Wallboard(Duration interval, Duration serviceLevelTarget, java.time.ZoneId timeZone,
                            Duration retention, int maxCalls) {
    }

    public record Server(String host, int port, String publicUrl, int ioThreads, Transport transport,
                         int workerThreads, int workerQueue, Duration maxQueueDelay, Duration retryAfter,
                         Duration shutdownGrace) {
    }

    /** How the node's sockets are driven: Linux's epoll through Netty's native transport, or Java's NIO. */
    public enum Transport { AUTO, EPOLL, NIO }

    public record WebSocket(int maxMessageBytes, int maxFrameBytes, int ratePerSecond, int rateBurst,
                            Duration helloTimeout, Duration idleTimeout, List<String> allowedOrigins) {
    }

    /**
     * @param secretsFile where the server command keeps a JWT secret and admin key it generated because none
     *                    was configured (see {@link LocalSecrets}); empty: new ones every start
     */
    public record Auth(String jwtSecret, String issuer, Duration tokenTtl, boolean devTokens, String adminKey,
                       String secretsFile) {
        @Override
        public String toString() {
            return "Auth[issuer=" + issuer + ", tokenTtl=" + tokenTtl + ", devTokens=" + devTokens
                    + ", secretsFile=" + secretsFile + "]";
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

    /**
     * @param knownCallsRetention how long a node keeps the last revision it saw of a call that has not ended
     *                            (to put it back if Redis loses its data); ended calls are kept for the
     *                            reconnect grace
     */
    public record Cluster(Duration heartbeatInterval, Duration nodeTtl, Duration reconnectGrace,
                          Duration knownCallsRetention) {
    }

    /**
     * Livestreams: how viewer presence is kept and how events reach viewers.
     *
     * @param heartbeatInterval   how often a node refreshes the presence of all its viewers (one store call
     *                            per broadcast)
     * @param viewerTtl           a viewer not refreshed this long no longer counts (their node stopped)
     * @param statsInterval       the least time between two {@code broadcast.stats} to a viewer
     * @param chatFlushInterval   how often chat collected on a node goes out, one frame per viewer
     * @param chatPerSecond       chat messages a viewer may send per second, on average
     * @param chatBurst           and at once
     * @param likesPerSecond      likes per viewer per second that count
     * @param maxViewersPerBridge viewers one bridge takes per broadcast; beyond it the broadcast spreads to
     *                            another bridge of the pool, joined by a relay
     * @param maxBridgesPerBroadcast bridges (carriers) one broadcast may spread over; beyond them {@code broadcast_full}
     */
    public record Live(Duration heartbeatInterval, Duration viewerTtl, Duration statsInterval,
                       Duration chatFlushInterval, int chatPerSecond, int chatBurst, int likesPerSecond,
                       int maxViewersPerBridge, int maxBridgesPerBroadcast) {
    }

    /** A queue customers can choose, with its names per UI language. */
    /**
     * @param hours when its queue takes calls; null: the default {@code routing.opening-hours}. Not sent with
     *              the topics: pages learn whether a queue is open from {@code GET /api/status}.
     */
    public record Topic(String id, Map<String, String> names, @JsonIgnore OpeningHours hours) {
    }

    public record Routing(Duration ringTimeout, Duration reofferDelay, boolean awayOnMissedOffer,
                          Duration escalationStep, Duration sweepInterval, Duration averageHandleTime,
                          Duration activityResolution, int maxCustomerPriority, List<String> languages,
                          List<Topic> topics, Duration maxWait, OpeningHours openingHours,
                          Duration callbackRetention) {
        public boolean hasTopic(String id) {
            return topics.stream().anyMatch(t -> t.id().equals(id));
        }

        public List<String> topicIds() {
            return topics.stream().map(Topic::id).toList();
        }
    }

    /** Where calls' media flow: browser to browser, or through a media bridge. */
    public enum CallMediaRoute {
        P2P, BRIDGE;

        static CallMediaRoute fromConfig(String value) {
            return switch (value) {
                case "p2p" -> P2P;
                case "bridge" -> BRIDGE;
                default -> throw new IllegalArgumentException("livedesk.calls.media must be p2p or bridge, got " + value);
            };
        }
    }

    /**
     * @param media      {@code p2p} (browsers send media to each other) or {@code bridge} (through a media
     *                   bridge: this node's in-process one, or the remote ones of {@code livedesk.bridge.remote})
     * @param iceServers as handed to browsers' RTCPeerConnection (each a map with "urls" and optional credentials)
     */
    /**
     * @param handoverTimeout after a transfer is accepted, the previous staff member's media stays (make before
     *                        break) until the customer shows the next one's video, at most this long
     */
    public record Calls(CallMediaRoute media, List<Map<String, Object>> iceServers, Duration handoverTimeout) {
        public boolean bridged() {
            return media == CallMediaRoute.BRIDGE;
        }
    }

    /**
     * The media bridges, used when {@code calls.media = "bridge"}: the in-process bridge unless {@code remote}
     * lists bridge nodes (or Jitsi Videobridges), which then form a pool chosen from by stress, with failover.
     *
     * @param address         the address the in-process bridge's one UDP port binds (0.0.0.0 for all); advertised
     *                        to browsers unless {@code publicAddresses} are given
     * @param port            that UDP port (1-65535)
     * @param publicAddresses IP addresses advertised to browsers instead of {@code address} (NAT), first preferred
     * @param remote          Colibri2 base URLs of remote bridges; empty: the in-process bridge
     * @param remoteRegions   the region configured for some of them (by URL); a bridge without one here is in the
     *                        region its stats name, if any
     * @param healthInterval  how often each bridge is checked ({@code /about/health} and {@code /colibri/stats})
     * @param connectTimeout  to open a connection to a remote bridge
     * @param requestTimeout  for one request to a remote bridge, reply included
     * @param createTimeout   for a request that creates a conference on a remote bridge (a cold Jitsi Videobridge is
     *                        slow to answer its first); one that timed out is expired and sent once more
     * @param downAfter       consecutive failed checks that mark a bridge down (a connection error on a request
     *                        marks it down at once)
     * @param mediaTimeout    the in-process bridge reports a participant's media stopped after this long without a
     *                        packet (a bridge node has its own {@code --media-timeout})
     * @param mediaCheckInterval how often the media status of calls is read from their bridges
     * @param tapPollInterval how often the results of speech taps are collected from remote bridge nodes
     * @param ioThreads       the in-process bridge's I/O threads with {@code io = netty}; 0: a quarter of the cores
     * @param ioCoalesce      how long those threads let datagrams gather while they come often (0: not at all)
     * @param simulcast       how the in-process bridge moves receivers between a simulcast sender's layers
     */
    public record Bridge(String address, int port, List<String> publicAddresses, List<URI> remote,
                         Duration healthInterval, Duration connectTimeout, Duration requestTimeout,
                         Duration createTimeout, int downAfter, Duration mediaTimeout, Duration mediaCheckInterval,
                         Duration tapPollInterval, String io, int ioThreads,
                         Duration ioCoalesce, SimulcastSettings simulcast, Map<URI, String> remoteRegions) {
        public Bridge {
            publicAddresses = List.copyOf(publicAddresses);
            remote = List.copyOf(remote);
            remoteRegions = Map.copyOf(remoteRegions);
            if (!remote.containsAll(remoteRegions.keySet())) {
                throw new IllegalArgumentException("livedesk.bridge.remote: a region for a bridge not listed");
            }
            if (!BridgeConfig.IO_CHOICES.contains(io)) {
                throw new IllegalArgumentException("livedesk.bridge.io must be one of " + BridgeConfig.IO_CHOICES + ": " + io);
            }
            if (ioThreads < 0) {
                throw new IllegalArgumentException("livedesk.bridge.io-threads must be 0 (automatic) or more: " + ioThreads);
            }
            if (ioCoalesce.isNegative() || ioCoalesce.compareTo(MediaSocket.Settings.MAX_COALESCE) > 0) {
                throw new IllegalArgumentException("livedesk.bridge.io-coalesce must be 0 to "
                        + MediaSocket.Settings.MAX_COALESCE.toMillis() + " ms: " + ioCoalesce);
            }
        }

        /** Address and port only, the other settings at their defaults (tests and tools). */
        public Bridge(String address, int port) {
            this(address, port, List.of(), List.of(), Duration.ofSeconds(2), Duration.ofSeconds(2),
                    Duration.ofSeconds(3), Colibri2Client.Options.DEFAULT_CREATE_TIMEOUT, 3, Duration.ofSeconds(2), Duration.ofMillis(500),
                    Duration.ofMillis(250), "netty", 0,
                    MediaSocket.Settings.DEFAULT_COALESCE, SimulcastSettings.defaults(), Map.of());
        }

        /** The region configured for the remote bridge at {@code url}, or null (then its stats may name one). */
        public String regionOf(URI url) {
            return remoteRegions.get(url);
        }

        /** The in-process bridge's Netty I/O as configured. */
        public MediaSocket.Settings nettyIo() {
            return MediaSocket.Settings.defaults()
                    .withIoThreads(ioThreads == 0 ? MediaSocket.Settings.defaultIoThreads() : ioThreads)
                    .withCoalesce(ioCoalesce);
        }
    }

    /**
     * Transcription on the signaling side (the engine's own settings are the speech module's).
     *
     * @param alerts                keywords and phrases whose mention in a final line alerts supervisors
     *                              (see {@code transcript.AlertRules} for how they match)
     * @param transcriptRetention   a call's transcript is kept this long after its last line
     * @param transcriptMaxLines    lines kept per call; the oldest go first
     * @param transcriptMemoryCalls in-process stores only: transcripts of at most this many calls are kept
     * @param engine                the recognizer: local Vosk, remote speech nodes, or off
     * @param sampleRate            the rate the audio tap resamples each participant's audio to
     * @param laggingAfter          a stream this far behind real time is reported as lagging
     * @param retryAfter            a participant whose transcription failed or was shed is tried again this long
     *                              after, and again, while their leg of the call lasts
     */
    public record Speech(List<String> alerts, Duration transcriptRetention, int transcriptMaxLines,
                         int transcriptMemoryCalls, SpeechConfig engine, int sampleRate, Duration laggingAfter,
                         Duration retryAfter) {
        public Speech {
            alerts = List.copyOf(alerts);
        }
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
        Config sp = c.getConfig("speech");
        Config li = c.getConfig("live");
        List<Topic> topics = new ArrayList<>();
        for (ConfigObject o : ro.getObjectList("topics")) {
            Map<String, String> names = new LinkedHashMap<>();
            String id = null;
            OpeningHours hours = null;
            for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
                String v = String.valueOf(e.getValue().unwrapped());
                if (e.getKey().equals("id")) {
                    id = v;
                } else if (e.getKey().equals("hours")) {
                    hours = openingHours("livedesk.routing.topics." + o.get("id").unwrapped() + ".hours", v);
                } else {
                    names.put(e.getKey(), v);
                }
            }
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("livedesk.routing.topics: every topic needs an id");
            }
            topics.add(new Topic(id, Map.copyOf(names), hours));
        }
        List<Map<String, Object>> iceServers = new ArrayList<>();
        for (ConfigObject o : ca.getObjectList("ice-servers")) {
            iceServers.add(Map.copyOf(o.unwrapped()));
        }
        RemoteBridges remote = remoteBridges(b);
        LiveDeskConfig cfg = new LiveDeskConfig(
                c.getString("node-id"),
                Regions.checkOptional("livedesk.region", c.getString("region").trim()),
                new Server(s.getString("host"), s.getInt("port"), s.getString("public-url"), s.getInt("io-threads"),
                        transport(s.getString("transport")), s.getInt("worker-threads"), s.getInt("worker-queue"),
                        s.getDuration("max-queue-delay"), s.getDuration("retry-after"), s.getDuration("shutdown-grace")),
                new WebSocket(w.getInt("max-message-bytes"), w.getInt("max-frame-bytes"), w.getInt("rate-per-second"),
                        w.getInt("rate-burst"), w.getDuration("hello-timeout"), w.getDuration("idle-timeout"),
                        stringList(w, "allowed-origins")),
                new Auth(a.getString("jwt-secret"), a.getString("issuer"), a.getDuration("token-ttl"),
                        a.getBoolean("dev-tokens"), a.getString("admin-key"), a.getString("secrets-file")),
                c.getBoolean("demo.enabled"),
                new Redis(r.getString("url"), r.getString("key-prefix"), r.getDuration("timeout")),
                new Cluster(cl.getDuration("heartbeat-interval"), cl.getDuration("node-ttl"),
                        cl.getDuration("reconnect-grace"), cl.getDuration("known-calls-retention")),
                new Routing(ro.getDuration("ring-timeout"), ro.getDuration("reoffer-delay"),
                        ro.getBoolean("away-on-missed-offer"), ro.getDuration("escalation-step"),
                        ro.getDuration("sweep-interval"), ro.getDuration("average-handle-time"),
                        ro.getDuration("activity-resolution"), ro.getInt("max-customer-priority"), stringList(ro, "languages"), List.copyOf(topics),
                        ro.getDuration("max-wait"), openingHours("livedesk.routing.opening-hours", ro.getString("opening-hours")),
                        ro.getDuration("callback-retention")),
                new Calls(CallMediaRoute.fromConfig(ca.getString("media")), List.copyOf(iceServers),
                        ca.getDuration("handover-timeout")),
                new Bridge(b.getString("address"), b.getInt("port"), stringList(b, "public-address"),
                        remote.urls(), b.getDuration("health-interval"), b.getDuration("connect-timeout"),
                        b.getDuration("request-timeout"), b.getDuration("create-timeout"), b.getInt("down-after"), b.getDuration("media-timeout"),
                        b.getDuration("media-check-interval"), b.getDuration("tap-poll-interval"), b.getString("io"),
                        b.getInt("io-threads"),
                        b.getDuration("io-coalesce"), simulcast(b.getConfig("simulcast")), remote.regions()),
                new Live(li.getDuration("heartbeat-interval"), li.getDuration("viewer-ttl"),
                        li.getDuration("stats-interval"), li.getDuration("chat-flush-interval"),
                        li.getInt("chat-per-second"), li.getInt("chat-burst"), li.getInt("likes-per-second"),
                        li.getInt("max-viewers-per-bridge"), li.getInt("max-bridges-per-broadcast")),
                new Speech(stringList(sp, "alerts"), sp.getDuration("transcript-retention"),
                        sp.getInt("transcript-max-lines"), sp.getInt("transcript-memory-calls"),
                        SpeechConfig.fromHocon(sp), sp.getInt("sample-rate"), sp.getDuration("lagging-after"),
                        sp.getDuration("retry-after")),
                wallboard(c.getConfig("wallboard")));
        cfg.validate();
        return cfg;
    }

    /** This configuration with other auth settings (secrets filled in at start-up). */
    public LiveDeskConfig withAuth(Auth newAuth) {
        LiveDeskConfig cfg = new LiveDeskConfig(nodeId, region, server, websocket, newAuth, demoEnabled, redis, cluster, routing,
                calls, bridge, live, speech, wallboard);
        cfg.validate();
        return cfg;
    }

    /** {@code livedesk.bridge.simulcast}; a value out of range stops the start and names the setting. */
    private static SimulcastSettings simulcast(Config c) {
        try {
            return new SimulcastSettings(c.getLong("initial-estimate"), c.getDuration("upgrade-step"),
                    c.getDuration("congestion-hold"), c.getDuration("max-congestion-hold"),
                    c.getDuration("probe-duration"), c.getBytes("probe-max-bytes"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("livedesk.bridge.simulcast: " + e.getMessage(), e);
        }
    }

    private static OpeningHours openingHours(String setting, String text) {
        try {
            return OpeningHours.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
        }
    }

    private static Wallboard wallboard(Config wb) {
        java.time.ZoneId zone;
        try {
            zone = java.time.ZoneId.of(wb.getString("time-zone"));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("livedesk.wallboard.time-zone: not a time zone (e.g. Asia/Shanghai): "
                    + wb.getString("time-zone"));
        }
        Wallboard w = new Wallboard(wb.getDuration("interval"), wb.getDuration("service-level-target"), zone,
                wb.getDuration("retention"), wb.getInt("max-calls"));
        if (w.interval().toMillis() < 100 || w.retention().toHours() < 24 || w.maxCalls() < 1) {
            throw new IllegalArgumentException("livedesk.wallboard: interval must be at least 100ms, retention at"
                    + " least 1d, max-calls at least 1");
        }
        return w;
    }

    private record RemoteBridges(List<URI> urls, Map<URI, String> regions) {
    }

    /**
     * {@code livedesk.bridge.remote}: each entry a base URL, {@code region=URL}, or an object {@code {url, region}};
     * the list may also be one comma-separated string (an environment variable).
     */
    private static RemoteBridges remoteBridges(Config b) {
        List<String> entries = new ArrayList<>();
        Map<String, String> regionByEntry = new LinkedHashMap<>();
        if (b.getValue("remote").valueType() == com.typesafe.config.ConfigValueType.LIST) {
            for (ConfigValue v : b.getList("remote")) {
                if (v instanceof ConfigObject o) {
                    Config entry = o.toConfig();
                    if (!entry.hasPath("url")) {
                        throw new IllegalArgumentException("livedesk.bridge.remote: an entry without url: " + o.render());
                    }
                    String url = entry.getString("url");
                    entries.add(url);
                    if (entry.hasPath("region")) {
                        regionByEntry.put(url, entry.getString("region"));
                    }
                } else {
                    entries.add(String.valueOf(v.unwrapped()));
                }
            }
        } else {
            entries.addAll(stringList(b, "remote"));
        }
        List<String> raw = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.trim();
            int eq = e.indexOf('=');
            int scheme = e.indexOf("://");
            if (eq > 0 && (scheme < 0 || eq < scheme)) {
                regionByEntry.put(e.substring(eq + 1).trim(), e.substring(0, eq).trim());
                e = e.substring(eq + 1).trim();
            }
            raw.add(e);
        }
        List<URI> urls = urls(raw, "remote");
        Map<URI, String> regions = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : regionByEntry.entrySet()) {
            String region = Regions.checkOptional("livedesk.bridge.remote (" + e.getKey() + ")", e.getValue());
            if (region != null) {
                regions.put(URI.create(e.getKey().trim()), region);
            }
        }
        return new RemoteBridges(urls, regions);
    }

    /** Base URLs (http or https, with a host). */
    private static List<URI> urls(List<String> entries, String path) {
        List<URI> out = new ArrayList<>();
        for (String raw : entries) {
            URI uri;
            try {
                uri = new URI(raw.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("livedesk.bridge." + path + ": not a URL: " + raw);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("livedesk.bridge." + path
                        + ": need http(s)://host:port of a bridge's Colibri2 interface, got " + raw);
            }
            if (out.contains(uri)) {
                throw new IllegalArgumentException("livedesk.bridge." + path + ": listed twice: " + raw);
            }
            out.add(uri);
        }
        return List.copyOf(out);
    }

    private static Transport transport(String value) {
        try {
            return Transport.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("livedesk.server.transport must be auto, epoll or nio, got " + value);
        }
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
        if (server.maxQueueDelay().isNegative() || server.maxQueueDelay().isZero()
                || server.retryAfter().isNegative() || server.retryAfter().isZero()) {
            throw new IllegalArgumentException("livedesk.server.max-queue-delay and retry-after must be positive");
        }
        if (speech.retryAfter().isNegative() || speech.retryAfter().isZero()) {
            throw new IllegalArgumentException("livedesk.speech.retry-after must be positive");
        }
        if (!auth.jwtSecret().isEmpty() && auth.jwtSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("livedesk.auth.jwt-secret must be at least 32 bytes");
        }
        if (routing.topics().isEmpty() || routing.languages().isEmpty()) {
            throw new IllegalArgumentException("livedesk.routing needs at least one topic and one language");
        }
        if (bridge.address().isBlank()) {
            throw new IllegalArgumentException("livedesk.bridge.address must not be empty");
        }
        if (bridge.port() < 1 || bridge.port() > 65535) {
            throw new IllegalArgumentException("livedesk.bridge.port out of range (1-65535): " + bridge.port());
        }
        if (live.maxViewersPerBridge() < 1 || live.maxBridgesPerBroadcast() < 1) {
            throw new IllegalArgumentException("livedesk.live.max-viewers-per-bridge and max-bridges-per-broadcast "
                    + "must be at least 1");
        }
        try {
            PublicAddressBridge.validate(bridge.publicAddresses());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("livedesk.bridge.public-address: " + e.getMessage());
        }
        if (bridge.publicAddresses().isEmpty() && PublicAddressBridge.isWildcard(bridge.address())) {
            throw new IllegalArgumentException("livedesk.bridge.address " + bridge.address()
                    + " binds every interface but cannot be advertised: set livedesk.bridge.public-address");
        }
        for (var d : List.of(Map.entry("health-interval", bridge.healthInterval()),
                Map.entry("connect-timeout", bridge.connectTimeout()),
                Map.entry("request-timeout", bridge.requestTimeout()),
                Map.entry("create-timeout", bridge.createTimeout()),
                Map.entry("media-timeout", bridge.mediaTimeout()),
                Map.entry("media-check-interval", bridge.mediaCheckInterval()),
                Map.entry("tap-poll-interval", bridge.tapPollInterval()))) {
            if (d.getValue().isNegative() || d.getValue().isZero()) {
                throw new IllegalArgumentException("livedesk.bridge." + d.getKey() + " must be positive");
            }
        }
        if (bridge.downAfter() < 1) {
            throw new IllegalArgumentException("livedesk.bridge.down-after must be at least 1: " + bridge.downAfter());
        }
        if (speech.sampleRate() < 8000 || speech.sampleRate() > 48000) {
            throw new IllegalArgumentException("livedesk.speech.sample-rate must be 8000-48000");
        }
        if (speech.transcriptRetention().isNegative() || speech.transcriptRetention().isZero()) {
            throw new IllegalArgumentException("livedesk.speech.transcript-retention must be positive");
        }
        if (speech.transcriptMaxLines() < 1 || speech.transcriptMemoryCalls() < 1) {
            throw new IllegalArgumentException(
                    "livedesk.speech.transcript-max-lines and transcript-memory-calls must be at least 1");
        }
        if (websocket.maxMessageBytes() > websocket.maxFrameBytes()) {
            throw new IllegalArgumentException("livedesk.websocket.max-message-bytes must not exceed max-frame-bytes");
        }
    }
}
