package io.livedesk.signaling.server;

import io.livedesk.media.api.Bridge;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.DevTokenEndpoints;
import io.livedesk.signaling.auth.TokenService;
import io.livedesk.signaling.call.CallRecords;
import io.livedesk.signaling.call.CallService;
import io.livedesk.signaling.call.CallsApi;
import io.livedesk.signaling.call.ClusterMediaHandoff;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.call.KnownCalls;
import io.livedesk.signaling.callback.CallbackService;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.cluster.NodeMonitor;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.config.LiveDeskConfig.Transport;
import io.livedesk.signaling.journey.BriefApi;
import io.livedesk.signaling.live.BroadcastChanges;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.live.BroadcastsApi;
import io.livedesk.signaling.live.LiveBus;
import io.livedesk.signaling.live.LiveMetrics;
import io.livedesk.signaling.live.LiveService;
import io.livedesk.signaling.media.AudioTaps;
import io.livedesk.signaling.media.BridgePool;
import io.livedesk.signaling.media.ClusterBroadcastMedia;
import io.livedesk.signaling.media.BridgesApi;
import io.livedesk.signaling.media.MediaMode;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffApi;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.QueuesApi;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.routing.ServiceHours;
import io.livedesk.signaling.session.SessionService;
import io.livedesk.signaling.session.StoreRecovery;
import io.livedesk.signaling.speech.CallTranscriber;
import io.livedesk.signaling.speech.TranscriptionMetrics;
import io.livedesk.signaling.transcript.AlertRules;
import io.livedesk.signaling.transcript.TranscriptApi;
import io.livedesk.signaling.transcript.TranscriptMetrics;
import io.livedesk.signaling.transcript.TranscriptService;
import io.livedesk.signaling.wallboard.ServiceStats;
import io.livedesk.signaling.wallboard.StatusApi;
import io.livedesk.signaling.wallboard.Wallboard;
import io.livedesk.signaling.wallboard.WallboardHints;
import io.livedesk.signaling.wallboard.WallboardReader;
import io.livedesk.speech.SpeechServices;
import io.livedesk.speech.api.SpeechService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The composition root of a signaling node: from one configuration it builds the stores, the media mode, the
 * services and the Netty server, starts them, and stops them in order. The constructor reads as the list of
 * what a node is made of; every choice between deployments is made once, in {@link Stores#create} and
 * {@link MediaMode#create}.
 */
public final class LiveDeskNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveDeskNode.class);
    /** Recognizer results waiting to be delivered (captions, stored lines, alerts). */
    private static final int CAPTION_QUEUE = 10_000;
    private static final long KNOWN_CALLS_PRUNE_MS = 10_000;

    private final LiveDeskConfig config;
    private final String nodeId;
    private final String adminKey;
    private final Clock clock;
    private final Metrics metrics = new Metrics();
    private final MessageCodec codec = new MessageCodec();
    private final LocalConnections connections = new LocalConnections();
    private final WorkerPool workers;
    private final ScheduledExecutorService timers;
    private final Stores stores;
    private final MediaMode media;
    private final SpeechService speechService;
    /** Delivers recognizer results in order, off the speech threads (they may wait on Redis). */
    private final WorkerPool captionDelivery;
    private final MessageRouter router;
    private final RoutingService routing;
    private final CallService calls;
    private final BroadcastMedia broadcastMedia;
    private final SessionService sessions;
    private final LiveService live;
    private final Wallboard wallboard;
    private final TranscriptService transcripts;
    private final CallTranscriber transcriber;
    private final NodeMonitor nodeMonitor;
    private final KnownCalls knownCalls;
    private final NodeContext context;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;

    public LiveDeskNode(LiveDeskConfig config) {
        this(config, Clock.systemUTC());
    }

    /**
     * @param clock what every timestamp, wait and duration of the node is measured with (tests share one
     *              between nodes to script exact waits); tokens are always checked against the real time
     */
    public LiveDeskNode(LiveDeskConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.nodeId = config.nodeId().isBlank() ? "node-" + UUID.randomUUID().toString().substring(0, 8) : config.nodeId();
        this.adminKey = config.auth().adminKey().isBlank() ? randomHex(16) : config.auth().adminKey();
        TokenService tokens = tokens(config);
        this.workers = new WorkerPool("ld-worker", config.server().workerThreads(), config.server().workerQueue());
        this.timers = new ScheduledThreadPoolExecutor(2, WorkerPool.namedThreads("ld-timer"));

        // State shared with other nodes, and how media flows: each chosen once, here.
        this.stores = Stores.create(config, codec.mapper(), clock);
        this.media = MediaMode.create(config, nodeId, metrics);
        // A configured model that is missing stops start-up here, naming its folder.
        this.speechService = SpeechServices.create(config.speech().engine());
        log.info("speech: {} ({})", speechService.status().state().name().toLowerCase(Locale.ROOT),
                speechService.status().detail());
        this.captionDelivery = new WorkerPool("ld-captions", 1, CAPTION_QUEUE);

        // Services, each built once its collaborators exist: no cycles, nothing bound later.
        this.router = new MessageRouter(nodeId, connections, stores.sessions(), stores.bus(), codec);
        PresenceService presence = new PresenceService(stores.presence(), stores.supervisors(), router, clock);
        // Only a shared store can lose its data under a running node; then the node puts back what it knows.
        this.knownCalls = config.redis().enabled() ? KnownCalls.keeping(clock, config.cluster().reconnectGrace(),
                config.cluster().knownCallsRetention()) : KnownCalls.none();
        LiveDeskConfig.Wallboard board = config.wallboard();
        WallboardHints hints = new WallboardHints(router);
        ServiceStats serviceStats = new ServiceStats(stores.dayStats(), clock, board.timeZone(),
                board.serviceLevelTarget().toMillis(), timers, hints::publish);
        CallRecords callRecords = new CallRecords(stores.calls(), knownCalls, serviceStats);
        // Where a message goes on once its store step answered: a worker, taking its turn again without a new
        // admission (it was admitted), never Lettuce's I/O thread.
        Executor afterStore = workers::resume;
        ServiceHours hours = ServiceHours.from(config.routing(), board.timeZone(), clock);
        this.routing = new RoutingService(stores.routing(), stores.routingSteps(), presence, callRecords, router,
                config.routing(), hours, clock, metrics, afterStore);
        TranscriptMetrics transcriptMetrics = new TranscriptMetrics();
        metrics.bind(transcriptMetrics);
        this.transcripts = new TranscriptService(stores.transcripts(), AlertRules.of(config.speech().alerts()), router,
                presence, transcriptMetrics);
        AudioTaps audioTaps = media.audioTaps(speechService, config.speech().engine(), clock);
        this.transcriber = new CallTranscriber(speechService, transcripts, callRecords::get, audioTaps,
                captionDelivery, config.speech().sampleRate(), config.speech().laggingAfter(),
                metrics::finalCaptionDelay, timers, config.speech().retryAfter());
        metrics.bind(new TranscriptionMetrics(speechService, transcriber, audioTaps));
        ClusterMediaHandoff handoff = new ClusterMediaHandoff(stores.bus(), codec.mapper());
        this.calls = new CallService(callRecords, media.negotiator(router, transcriber, workers, stores.callMedia()),
                router, clock, metrics,
                routing, nodeId, handoff, afterStore, config.calls().handoverTimeout());
        router.onNodeTasks(ClusterMediaHandoff.SUBJECT, handoff.receiver(calls, workers));
        this.broadcastMedia = ClusterBroadcastMedia.on(media.broadcastMedia(router, config.live(), workers), nodeId,
                stores.bus(), codec.mapper(), router, workers);
        this.sessions = new SessionService(nodeId, tokens, stores.sessions(), connections, router, presence, routing,
                calls, config, clock);
        StoreRecovery recovery = new StoreRecovery(nodeId, stores.sessions(), connections, presence, routing,
                callRecords, router, clock);
        this.nodeMonitor = new NodeMonitor(nodeId, stores.nodes(), stores.sessions(), stores.presence(),
                config.cluster().nodeTtl(), clock, recovery::run,
                // The claim is exclusive: one survivor takes over the media of the dead node's calls, off the timer.
                dead -> workers.execute(() -> calls.mediaNodeDied(dead)));
        LiveMetrics liveMetrics = new LiveMetrics();
        metrics.bind(liveMetrics);
        BroadcastChanges broadcastChanges = new BroadcastChanges(stores.broadcasts());
        this.live = new LiveService(stores.broadcasts(), stores.viewers(), stores.chat(), broadcastChanges,
                broadcastMedia, new LiveBus(router, codec.mapper()), routing, presence, router, codec,
                config.live(), config.routing(), liveMetrics, stores.watchHistory(), clock);
        this.wallboard = new Wallboard(new WallboardReader(stores.routing(), stores.presence(), stores.supervisors(),
                stores.calls(), stores.dayStats(), serviceStats, config.routing(), board), codec, clock, timers,
                board.interval());
        wallboard.listen(router);
        CallbackService callbacks = new CallbackService(stores.callbacks(), config.routing(), router, clock);
        callbacks.start(notice -> {
            for (ClientConnection c : connections.authenticated()) {
                if (c.principal().role().serves()) {
                    c.send(notice);
                }
            }
        });
        ClientMessageHandler messages = new ClientMessageHandler(sessions, presence, routing, calls, live, wallboard,
                callbacks, metrics, clock, config.routing().activityResolution());

        // REST routes, with the console's static files as the fallback for GET.
        ApiAuth apiAuth = new ApiAuth(tokens, config.routing().maxCustomerPriority());
        HttpRoutes routes = new HttpRoutes(new StaticFiles(LiveDeskNode.class.getClassLoader()), codec.mapper());
        new HealthEndpoints(this::notReady, metrics, codec.mapper()).register(routes);
        new DevTokenEndpoints(tokens, config.auth(), config.demoEnabled(), adminKey, codec.mapper()).register(routes);
        new QueuesApi(routing, stores.presence(), config.routing(), apiAuth, codec.mapper()).register(routes);
        new StaffApi(stores.presence(), stores.supervisors(), apiAuth, codec.mapper()).register(routes);
        new CallsApi(stores.calls(), apiAuth, codec.mapper(), clock).register(routes);
        new TranscriptApi(stores.transcripts(), stores.calls(), apiAuth, codec.mapper()).register(routes);
        new BriefApi(stores.calls(), stores.routing(), stores.watchHistory(), stores.broadcasts(), apiAuth,
                codec.mapper(), clock).register(routes);
        new StatusApi(stores.presence(), stores.routing(), stores.dayStats(), serviceStats, config.routing(), hours,
                codec.mapper(), clock).register(routes);
        new BridgesApi(media.bridgePool(), apiAuth, codec.mapper()).register(routes);
        new BroadcastsApi(stores.broadcasts(), stores.viewers(), config.routing(), apiAuth, codec.mapper(), clock,
                broadcastChanges, nodeId).register(routes);
        this.context = new NodeContext(config, codec, workers, connections, messages, sessions, metrics, routes,
                new Admission(config.server().maxQueueDelay(), config.server().retryAfter()));

        metrics.gauge("livedesk.ws.connections", "Open WebSocket connections on this node", connections::size);
        metrics.gauge("livedesk.workers.queued", "Tasks waiting for a worker", workers::queued);
        metrics.gauge("livedesk.wallboard.watchers", "Wallboards open on this node", wallboard::watchers);
        router.start();
    }

    private static TokenService tokens(LiveDeskConfig config) {
        boolean shared = !config.auth().jwtSecret().isBlank();
        if (!shared && config.redis().enabled()) {
            log.warn("auth.jwt-secret is not set: tokens minted by this node are not valid on other nodes");
        }
        byte[] secret = shared ? config.auth().jwtSecret().getBytes(StandardCharsets.UTF_8) : randomBytes(32);
        return new TokenService(secret, config.auth().issuer(), Clock.systemUTC());
    }

    public void start() throws InterruptedException {
        int io = config.server().ioThreads() > 0 ? config.server().ioThreads() : 2 * Runtime.getRuntime().availableProcessors();
        SocketTransport transport = SocketTransport.choose(config.server().transport());
        if (transport.name().equals("nio") && config.server().transport() == Transport.AUTO) {
            log.info("sockets on NIO: the epoll transport is not available ({})", SocketTransport.epollUnavailableReason());
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ld-accept"), transport.ioHandlers());
        ioGroup = new MultiThreadIoEventLoopGroup(io, new DefaultThreadFactory("ld-io"), transport.ioHandlers());
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ServerInitializer(context));
        serverChannel = b.bind(config.server().host(), config.server().port()).sync().channel();
        media.start();
        nodeMonitor.takeOver();
        nodeMonitor.beat();
        every(config.cluster().heartbeatInterval().toMillis(), "heartbeat", nodeMonitor::beat);
        every(config.routing().sweepInterval().toMillis(), "routing sweep",
                () -> routing.sweep(connections.staffHere(), connections.customersWaiting(), nodeMonitor::storeUnchanged));
        every(KNOWN_CALLS_PRUNE_MS, "known calls pruning", knownCalls::prune);
        every(1000, "grace reaper", sessions::reapExpired);
        every(config.live().chatFlushInterval().toMillis(), "livestream flush", live::flush);
        every(config.live().statsInterval().toMillis(), "livestream stats", live::countStats);
        every(config.live().heartbeatInterval().toMillis(), "viewer presence", live::refreshPresence);
        every(config.wallboard().interval().toMillis(), "wallboard", wallboard::tick);
        log.info("node {} listening on port {} ({} sockets, {} event loops) with {} stores", nodeId, port(),
                transport.name(), io, stores.description());
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

    public boolean ready() {
        return notReady().isEmpty();
    }

    /**
     * Why a load balancer should send this node no new work now: shutting down, a store that does not answer,
     * or (with bridges) no bridge that can take a new call. Empty when ready.
     */
    public Optional<String> notReady() {
        if (stopping.get()) {
            return Optional.of("shutting down");
        }
        if (!stores.ready()) {
            return Optional.of("the stores do not answer");
        }
        return media.notReady();
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
     * Livestream media: answers broadcast offers on whichever node they arrive (handing them to the broadcast's
     * media node), or refuses them without a bridge.
     */
    public BroadcastMedia broadcastMedia() {
        return broadcastMedia;
    }

    /**
     * The in-process media bridge, when {@code calls.media = "bridge"} and no remote bridge is configured;
     * else null. Calls go through {@link #bridgePool()}, of which it is then the one member.
     */
    public Bridge bridge() {
        return media.localBridge();
    }

    /**
     * The bridges calls go through when {@code calls.media = "bridge"}, else null. Register
     * {@link BridgePool#onConferencesLost} here to hear of calls whose bridge went down.
     */
    public BridgePool bridgePool() {
        return media.bridgePool();
    }

    /** The recognizer this node transcribes with. */
    public SpeechService speech() {
        return speechService;
    }

    /** The transcriber that taps bridged calls' audio. */
    public CallTranscriber transcriber() {
        return transcriber;
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
        List<ChannelFuture> closing = new ArrayList<>();
        for (ClientConnection c : List.copyOf(connections.everyone())) {
            c.sendJson(shutdownNotice);
            closing.add(c.close(1001, "server shutting down"));
        }
        // The notices and close frames are written by the event loops; shutting those down first would close the
        // sockets with the frames still queued (the clients would see 1006 and no reason).
        long deadline = System.nanoTime() + config.server().shutdownGrace().toNanos();
        for (ChannelFuture f : closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                log.warn("node {}: {} client connection(s) not closed within the shutdown grace", nodeId,
                        closing.stream().filter(c -> !c.isDone()).count());
                break;
            }
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
        media.close(); // closes the in-process bridge too, and with it every audio tap
        speechService.close();
        captionDelivery.close();
        stores.close();
        log.info("node {} stopped", nodeId);
    }

    /**
     * Stops as a crash would, for failure drills and tests: the heartbeat stops, work in flight is dropped, the
     * stores are let go before the sockets close (so nothing is written about the clients: their sessions stay
     * bound to this node, its calls stay its own), and the bridges are left as they are (no conference is expired).
     * Other nodes notice only by the missing heartbeat, as with a process killed. Not for production use.
     */
    public void halt() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.warn("node {} halting as if it crashed", nodeId);
        timers.shutdownNow();
        workers.close();
        captionDelivery.close();
        stores.close();
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        media.close(); // remote bridges: only this node's clients of them close
        speechService.close();
        log.warn("node {} halted", nodeId);
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
