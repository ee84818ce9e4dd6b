package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.bridge.PublicAddressBridge;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.server.Metrics;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Calls and livestreams through a media bridge: the pool of bridges (the in-process one alone, or remote
 * ones) with its health checks and metrics, and the audio taps of the in-process bridge when there is one.
 */
public final class BridgedMedia implements MediaMode {
    private static final AudioTaps REMOTE_TAPS = AudioTaps.none("calls use remote bridges, whose audio cannot be tapped");

    private final LocalBridge localBridge;
    private final AudioTaps taps;
    private final BridgePool pool;
    private final Metrics metrics;
    private final List<Map<String, Object>> iceServers;
    /** Browsers may trickle: the one bridge is in-process on its own ICE-lite port. */
    private final boolean trickle;

    private BridgedMedia(LocalBridge localBridge, List<MemberBridge> members, LiveDeskConfig.Bridge config,
                         List<Map<String, Object>> iceServers, Metrics metrics) {
        this.localBridge = localBridge;
        this.taps = localBridge == null ? REMOTE_TAPS : AudioTaps.of(localBridge);
        this.iceServers = List.copyOf(iceServers);
        // Only the in-process bridge on its own port is known to be ICE-lite; remote members may be anything.
        this.trickle = localBridge != null && config.io().equals("netty");
        // A check in flight takes at most connect + request timeout; close() waits that long for it.
        this.pool = new BridgePool("bridges", members, new BridgePool.Options(config.healthInterval(),
                config.downAfter(), config.connectTimeout().plus(config.requestTimeout()), config.mediaCheckInterval()));
        metrics.bind(new BridgePoolMetrics(pool));
        this.metrics = metrics;
    }

    static BridgedMedia inProcess(LiveDeskConfig.Bridge config, String nodeId, List<Map<String, Object>> iceServers,
                                  Metrics metrics) {
        LocalBridge bridge = new LocalBridge(BridgeConfig.defaults(config.address(), config.port()).withId(nodeId)
                .withMediaTimeout(config.mediaTimeout()).withIo(config.io()).withNettyIo(config.nettyIo())
                .withSimulcast(config.simulcast()));
        return new BridgedMedia(bridge,
                List.of(MemberBridge.inProcess(PublicAddressBridge.wrap(bridge, config.publicAddresses()))),
                config, iceServers, metrics);
    }

    static BridgedMedia remote(LiveDeskConfig.Bridge config, List<Map<String, Object>> iceServers, Metrics metrics) {
        List<MemberBridge> members = new ArrayList<>();
        for (URI url : config.remote()) {
            members.add(MemberBridge.remote(url, config.connectTimeout(), config.requestTimeout(),
                    config.createTimeout()));
        }
        return new BridgedMedia(null, members, config, iceServers, metrics);
    }

    @Override
    public MediaNegotiator negotiator(MessageRouter router, LegObserver legs, Executor workers) {
        BridgeNegotiator negotiator = new BridgeNegotiator(pool, router, iceServers, legs, trickle);
        // Told on the thread that noticed, which may hold a call's lock: the work goes to a worker.
        pool.onConferencesLost(ids -> {
            long lostAt = System.nanoTime();
            workers.execute(() -> negotiator.conferencesLost(ids, lostAt));
        });
        // Told on the media thread, which must go on reading: the calls' locks are taken on a worker.
        pool.watchMedia(negotiator::holds, changes -> workers.execute(() -> negotiator.mediaChanged(changes)));
        return negotiator;
    }

    /**
     * Broadcasts' conferences go to the pool's bridges as calls' do; viewers up to the cap per bridge, then the
     * broadcast spreads to another bridge of the pool, up to {@code live.max-bridges-per-broadcast}.
     */
    @Override
    public BroadcastMedia broadcastMedia(MessageRouter router, LiveDeskConfig.Live live, Executor workers) {
        BridgeBroadcastMedia media = new BridgeBroadcastMedia(pool, router,
                ViewerPlacement.spreading(live.maxViewersPerBridge(), live.maxBridgesPerBroadcast()), pool);
        // Told on the thread that noticed, which may hold a call's lock: the work (bridge calls) goes to a worker.
        pool.onConferencesLost(ids -> workers.execute(() -> media.conferencesLost(ids)));
        metrics.bind(new BroadcastCarrierMetrics(media));
        return media;
    }

    @Override
    public AudioTaps audioTaps() {
        return taps;
    }

    @Override
    public Bridge localBridge() {
        return localBridge;
    }

    @Override
    public BridgePool bridgePool() {
        return pool;
    }

    @Override
    public Optional<String> notReady() {
        return pool.takesNewConferences() ? Optional.empty()
                : Optional.of("no media bridge can take a new call (each is down, draining or shutting down)");
    }

    @Override
    public void start() {
        pool.start();
    }

    /** Closes the pool, and with it the in-process bridge and every audio tap. */
    @Override
    public void close() {
        pool.close();
    }
}
