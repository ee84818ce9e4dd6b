package io.livedesk.signaling.server;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.bridge.PublicAddressBridge;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.DevTokenEndpoints;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.TokenService;
import io.livedesk.signaling.call.CallService;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.call.CallsApi;
import io.livedesk.signaling.call.ClusterMediaHandoff;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.call.InMemoryCallStore;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.call.PeerToPeerRelay;
import io.livedesk.signaling.call.RedisCallStore;
import io.livedesk.signaling.cluster.ClusterBus;
import io.livedesk.signaling.cluster.InMemoryNodeRegistry;
import io.livedesk.signaling.cluster.InMemorySessionStore;
import io.livedesk.signaling.cluster.LocalClusterBus;
import io.livedesk.signaling.cluster.NodeMonitor;
import io.livedesk.signaling.cluster.NodeRegistry;
import io.livedesk.signaling.cluster.Outbox;
import io.livedesk.signaling.cluster.RedisClusterBus;
import io.livedesk.signaling.cluster.RedisNodeRegistry;
import io.livedesk.signaling.cluster.RedisSessionStore;
import io.livedesk.signaling.cluster.SessionStore;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.media.BridgeNegotiator;
import io.livedesk.signaling.media.BridgePool;
import io.livedesk.signaling.media.BridgePoolMetrics;
import io.livedesk.signaling.media.MemberBridge;
import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.presence.InMemorySupervisorIndex;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.RedisPresenceStore;
import io.livedesk.signaling.presence.RedisSupervisorIndex;
import io.livedesk.signaling.presence.StaffApi;
import io.livedesk.signaling.presence.SupervisorIndex;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.routing.InMemoryRoutingStore;
import io.livedesk.signaling.routing.QueuesApi;
import io.livedesk.signaling.routing.RedisRoutingStore;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.session.SessionService;
import io.livedesk.signaling.speech.CallTranscriber;
import io.livedesk.signaling.speech.TranscriptionMetrics;
import io.livedesk.signaling.transcript.AlertRules;
import io.livedesk.signaling.transcript.InMemoryTranscriptStore;
import io.livedesk.signaling.transcript.RedisTranscriptStore;
import io.livedesk.signaling.transcript.TranscriptApi;
import io.livedesk.signaling.transcript.TranscriptLimits;
import io.livedesk.signaling.transcript.TranscriptMetrics;
import io.livedesk.signaling.transcript.TranscriptService;
import io.livedesk.signaling.transcript.TranscriptStore;
import io.livedesk.speech.SpeechServices;
import io.livedesk.speech.api.SpeechService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root of a signaling node: builds the stores (in-process, or Redis when configured),
 * the services and the Netty server from one configuration, starts them, and stops them in order.
 */
public final class LiveDeskNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveDeskNode.class);

    private final LiveDeskConfig config;
    private final String nodeId;
    private final String adminKey;
    private final Clock clock = Clock.systemUTC();
    private final Metrics metrics = new Metrics();
    private final MessageCodec codec = new MessageCodec();
    private final LocalConnections connections = new LocalConnections();
    private final WorkerPool workers;
    private final ScheduledExecutorService timers;
    private final RedisConnections redis;
    private final ClusterBus bus;
    private final PresenceStore presenceStore;
    private final SessionStore sessionStore;
    private final NodeRegistry nodeRegistry;
    private final RoutingService routing;
    private final CallService calls;
    private final SessionService sessions;
    private final TranscriptService transcripts;
    /** The recognizer (local Vosk, remote speech nodes, or disabled). */
    private final SpeechService speechService;
    /** Bridge mode only: taps each participant's audio into the recognizer. */
    private final CallTranscriber transcriber;
    /** Delivers recognizer results in order, off the speech threads (they may wait on Redis). */
    private final WorkerPool captionDelivery;
    private static final int CAPTION_QUEUE = 10_000;
    private final NodeMonitor nodeMonitor;
    private final NodeContext context;
    /** The in-process media bridge when calls.media = "bridge" and no remote bridge is configured, else null. */
    private final LocalBridge bridge;
    /** The bridges calls go through when calls.media = "bridge" (the in-process one alone, or the remote ones). */
    private final BridgePool bridgePool;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;

    public LiveDeskNode(LiveDeskConfig config) {
        this.config = config;
        this.nodeId = config.nodeId().isBlank() ? "node-" + UUID.randomUUID().toString().substring(0, 8) : config.nodeId();
        this.adminKey = config.auth().adminKey().isBlank() ? randomHex(16) : config.auth().adminKey();
        byte[] secret = config.auth().jwtSecret().isBlank() ? randomBytes(32)
                : config.auth().jwtSecret().getBytes(StandardCharsets.UTF_8);
        if (config.auth().jwtSecret().isBlank() && config.redis().enabled()) {
            log.warn("auth.jwt-secret is not set: tokens minted by this node are not valid on other nodes");
        }
        TokenService tokens = new TokenService(secret, config.auth().issuer(), clock);

        this.workers = new WorkerPool("ld-worker", config.server().workerThreads(), config.server().workerQueue());
        this.timers = new ScheduledThreadPoolExecutor(2, WorkerPool.namedThreads("ld-timer"));

        RoutingStore routingStore;
        CallStore callStore;
        SupervisorIndex supervisorIndex;
        TranscriptStore transcriptStore;
        LiveDeskConfig.Speech speech = config.speech();
        TranscriptLimits transcriptLimits = new TranscriptLimits(speech.transcriptRetention(),
                speech.transcriptMaxLines(), speech.transcriptMemoryCalls());
        if (config.redis().enabled()) {
            this.redis = new RedisConnections(config.redis().url(), config.redis().timeout());
            RedisKeys keys = new RedisKeys(config.redis().keyPrefix());
            this.presenceStore = new RedisPresenceStore(redis, keys);
            routingStore = new RedisRoutingStore(redis, keys);
            callStore = new RedisCallStore(redis, keys, codec.mapper());
            supervisorIndex = new RedisSupervisorIndex(redis, keys);
            transcriptStore = new RedisTranscriptStore(redis, keys, transcriptLimits);
            this.sessionStore = new RedisSessionStore(redis, keys);
            this.nodeRegistry = new RedisNodeRegistry(redis, keys);
            this.bus = new RedisClusterBus(redis, keys, codec.mapper());
        } else {
            this.redis = null;
            InMemoryPresenceStore presence = new InMemoryPresenceStore();
            this.presenceStore = presence;
            routingStore = new InMemoryRoutingStore(presence);
            callStore = new InMemoryCallStore();
            supervisorIndex = new InMemorySupervisorIndex();
            transcriptStore = new InMemoryTranscriptStore(transcriptLimits, clock);
            this.sessionStore = new InMemorySessionStore();
            this.nodeRegistry = new InMemoryNodeRegistry();
            this.bus = new LocalClusterBus();
        }

        Outbox outbox = new Outbox(nodeId, connections, sessionStore, bus, codec);
        PresenceService presence = new PresenceService(presenceStore, supervisorIndex, outbox, clock);
        this.routing = new RoutingService(routingStore, presence, callStore, outbox, config.routing(), clock, metrics);
        TranscriptMetrics transcriptMetrics = new TranscriptMetrics();
        metrics.bind(transcriptMetrics);
        this.transcripts = new TranscriptService(transcriptStore, AlertRules.of(speech.alerts()), outbox, presence,
                transcriptMetrics);
        // A configured model that is missing stops start-up here, naming its folder.
        this.speechService = SpeechServices.create(speech.engine());
        log.info("speech: {} ({})", speechService.status().state().name().toLowerCase(java.util.Locale.ROOT),
                speechService.status().detail());
        this.captionDelivery = new WorkerPool("ld-captions", 1, CAPTION_QUEUE);
        MediaNegotiator media;
        if (config.calls().bridged()) {
            LiveDeskConfig.Bridge b = config.bridge();
            List<MemberBridge> members = new ArrayList<>();
            if (b.remote().isEmpty()) {
                this.bridge = new LocalBridge(BridgeConfig.defaults(b.address(), b.port()).withId(nodeId));
                members.add(MemberBridge.inProcess(PublicAddressBridge.wrap(bridge, b.publicAddresses())));
            } else {
                this.bridge = null;
                for (URI url : b.remote()) {
                    members.add(MemberBridge.remote(url, b.connectTimeout(), b.requestTimeout()));
                }
            }
            // A check in flight takes at most connect + request timeout; close() waits that long for it.
            this.bridgePool = new BridgePool("bridges", members, new BridgePool.Options(b.healthInterval(),
                    b.downAfter(), b.connectTimeout().plus(b.requestTimeout())));
            metrics.bind(new BridgePoolMetrics(bridgePool));
            this.transcriber = new CallTranscriber(speechService, transcripts, callStore::get, bridge, captionDelivery,
                    clock, speech.sampleRate(), speech.laggingAfter(), metrics::finalCaptionDelay);
            BridgeNegotiator negotiator = new BridgeNegotiator(bridgePool, outbox, config.calls().iceServers(), transcriber);
            // Told on the thread that noticed, which may hold a call's lock: the work goes to a worker.
            bridgePool.onConferencesLost(ids -> {
                long lostAt = System.nanoTime();
                workers.execute(() -> negotiator.conferencesLost(ids, lostAt));
            });
            media = negotiator;
        } else {
            this.bridge = null;
            this.bridgePool = null;
            this.transcriber = null;
            media = new PeerToPeerRelay(outbox, config.calls().iceServers());
        }
        metrics.bind(new TranscriptionMetrics(speechService, transcriber, bridge));
        ClusterMediaHandoff handoff = new ClusterMediaHandoff(bus, codec.mapper());
        this.calls = new CallService(callStore, media, outbox, clock, metrics, routing::callEnded, nodeId, handoff);
        outbox.onNodeTasks(ClusterMediaHandoff.SUBJECT, handoff.receiver(calls, workers));
        routing.bind(calls);
        calls.bind(routing);
        this.sessions = new SessionService(nodeId, tokens, sessionStore, connections, outbox, presence, routing,
                calls, config, clock);
        this.nodeMonitor = new NodeMonitor(nodeId, nodeRegistry, sessionStore, presenceStore,
                config.cluster().nodeTtl(), clock);
        ClientMessageHandler messages = new ClientMessageHandler(sessions, presence, routing, calls, codec, metrics, clock);

        ApiAuth apiAuth = new ApiAuth(tokens, config.routing().maxCustomerPriority());
        HttpRoutes routes = new HttpRoutes(new StaticFiles(LiveDeskNode.class.getClassLoader()), codec.mapper());
        new HealthEndpoints(this::ready, metrics).register(routes);
        new DevTokenEndpoints(tokens, config.auth(), config.demoEnabled(), adminKey, codec.mapper()).register(routes);
        new QueuesApi(routing, presenceStore, config.routing(), apiAuth, codec.mapper()).register(routes);
        new StaffApi(presenceStore, apiAuth, codec.mapper()).register(routes);
        new CallsApi(callStore, apiAuth, codec.mapper(), clock).register(routes);
        new TranscriptApi(transcriptStore, callStore, apiAuth, codec.mapper()).register(routes);
        this.context = new NodeContext(config, codec, workers, connections, messages, sessions, metrics, routes);

        metrics.gauge("livedesk.ws.connections", "Open WebSocket connections on this node", connections::size);
        metrics.gauge("livedesk.workers.queued", "Tasks waiting for a worker", workers::queued);
        outbox.start();
    }

    public void start() throws InterruptedException {
        int io = config.server().ioThreads() > 0 ? config.server().ioThreads() : 2 * Runtime.getRuntime().availableProcessors();
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ld-accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(io, new DefaultThreadFactory("ld-io"), NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ServerInitializer(context));
        serverChannel = b.bind(config.server().host(), config.server().port()).sync().channel();
        if (bridgePool != null) {
            bridgePool.start();
        }
        nodeMonitor.takeOver();
        nodeMonitor.beat();
        every(config.cluster().heartbeatInterval().toMillis(), "heartbeat", nodeMonitor::beat);
        every(config.routing().sweepInterval().toMillis(), "routing sweep", this::sweep);
        every(1000, "grace reaper", sessions::reapExpired);
        log.info("node {} listening on port {} with {} stores", nodeId, port(), config.redis().enabled() ? "Redis" : "in-process");
    }

    private void every(long periodMs, String what, Runnable task) {
        timers.scheduleWithFixedDelay(() -> {
            if (stopping.get()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed: {}", what, e.toString());
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        List<String> freeStaff = new ArrayList<>();
        for (ClientConnection c : connections.authenticated()) {
            if (c.principal().role().serves()) {
                freeStaff.add(c.principal().subject());
            }
        }
        routing.sweep(freeStaff);
        for (ClientConnection c : connections.withRole(Role.CUSTOMER)) {
            if (!c.isWaiting()) {
                continue;
            }
            // Ringing and back-to-waiting are told when they happen; the sweep tells places that moved.
            var notice = routing.queueNotice(c.principal().subject());
            if (notice.isEmpty()) {
                c.waiting(false); // accepted, cancelled or ended, on whichever node
                continue;
            }
            notice.filter(n -> n.state().equals("waiting") && c.queueNoticeChanged(n.state() + ":" + n.position()))
                    .ifPresent(n -> c.sendJson(codec.write(n)));
        }
    }

    public boolean ready() {
        if (stopping.get()) {
            return false;
        }
        if (redis != null) {
            return redis.ping();
        }
        return true;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String nodeId() {
        return nodeId;
    }

    /** The generated or configured admin key, for the start-up banner only. */
    public String adminKey() {
        return adminKey;
    }

    public LiveDeskConfig config() {
        return config;
    }

    /**
     * Live captions, stored transcripts and keyword alerts: where the speech pipeline hands its partial and
     * final results (see {@link TranscriptService}).
     */
    public TranscriptService transcripts() {
        return transcripts;
    }

    /** Calls of this node's cluster: the current record of a call (e.g. to address its captions). */
    public CallService calls() {
        return calls;
    }

    /**
     * The in-process media bridge, when {@code calls.media = "bridge"} and no remote bridge is configured;
     * else null. Calls go through {@link #bridgePool()}, of which it is then the one member.
     */
    public Bridge bridge() {
        return bridge;
    }

    /**
     * The bridges calls go through when {@code calls.media = "bridge"}, else null. Register
     * {@link BridgePool#onConferencesLost} here to hear of calls whose bridge went down.
     */
    /** The recognizer this node transcribes with. */
    public SpeechService speech() {
        return speechService;
    }

    /** Bridge mode: the transcriber that taps calls' audio; null with peer-to-peer media. */
    public CallTranscriber transcriber() {
        return transcriber;
    }

    public BridgePool bridgePool() {
        return bridgePool;
    }

    /**
     * Graceful stop: refuse new connections, end this node's calls and requests with reason
     * server_shutdown, tell every client, then close sockets, pools and stores.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.info("node {} stopping", nodeId);
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        String shutdownNotice = codec.write(new ServerMessage.ServerShutdown(2000));
        for (ClientConnection c : List.copyOf(connections.authenticated())) {
            try {
                sessions.finish(c.principal().subject(), c.principal().role(), EndReason.SERVER_SHUTDOWN);
            } catch (RuntimeException e) {
                log.warn("ending a session at shutdown failed: {}", e.toString());
            }
        }
        for (ClientConnection c : List.copyOf(connections.everyone())) {
            c.sendJson(shutdownNotice);
            c.close(1001, "server shutting down");
        }
        try {
            nodeMonitor.leave();
        } catch (RuntimeException e) {
            log.warn("deregistering failed: {}", e.toString());
        }
        timers.shutdownNow();
        try {
            workers.shutdown(config.server().shutdownGrace().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        workers.close();
        if (bridgePool != null) {
            bridgePool.close(); // closes the in-process bridge too, and with it every audio tap
        }
        speechService.close();
        captionDelivery.close();
        bus.close();
        if (redis != null) {
            redis.close();
        }
        log.info("node {} stopped", nodeId);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String randomHex(int n) {
        return HexFormat.of().formatHex(randomBytes(n));
    }
}
