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
import io.livedesk.speech.SpeechConfig;
import io.livedesk.speech.api.SpeechService;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Calls and livestreams through a media bridge: the pool of bridges (the in-process one alone, or remote
 * ones) with its health checks and metrics, and the audio taps for transcription: the in-process bridge's, or
 * the remote bridge nodes' speech taps.
 */
public final class BridgedMedia implements MediaMode {
    /** How long a closed remote tap's last words are waited for. */
    private static final Duration TAP_CLOSE_WAIT = Duration.ofSeconds(10);

    private final LocalBridge localBridge;
    private final LiveDeskConfig.Bridge config;
    private final BridgePool pool;
    private RemoteAudioTaps remoteTaps;
    /** This signaling node, as the calls' stored media state names its writer. */
    private final String nodeId;
    private final Metrics metrics;
    private final List<Map<String, Object>> iceServers;
    /** Browsers may trickle: the one bridge is in-process on its own ICE-lite port. */
    private final boolean trickle;

    private BridgedMedia(LocalBridge localBridge, List<MemberBridge> members, LiveDeskConfig.Bridge config,
                         List<Map<String, Object>> iceServers, Metrics metrics, String nodeId) {
        this.localBridge = localBridge;
        this.config = config;
        this.nodeId = nodeId;
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
                config, iceServers, metrics, nodeId);
    }

    static BridgedMedia remote(LiveDeskConfig.Bridge config, String nodeId, List<Map<String, Object>> iceServers,
                               Metrics metrics) {
        List<MemberBridge> members = new ArrayList<>();
        for (URI url : config.remote()) {
            members.add(MemberBridge.remote(url, config.connectTimeout(), config.requestTimeout(),
                    config.createTimeout()).inRegion(config.regionOf(url)));
        }
        return new BridgedMedia(null, members, config, iceServers, metrics, nodeId);
    }

    @Override
    public MediaNegotiator negotiator(MessageRouter router, LegObserver legs, Executor workers,
                                      CallMediaStore store) {
        BridgeNegotiator negotiator = new BridgeNegotiator(pool, router, iceServers, legs, trickle, store, nodeId);
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
    public synchronized AudioTaps audioTaps(SpeechService speech, SpeechConfig speechConfig, Clock clock) {
        if (localBridge != null) {
            return AudioTaps.of(localBridge, speech, clock);
        }
        if (speechConfig.engine() != SpeechConfig.Engine.REMOTE) {
            return AudioTaps.none("calls use remote bridges, which send the audio to speech nodes themselves: "
                    + "set speech.engine = remote");
        }
        if (remoteTaps == null) {
            // The bridge nodes get the speech nodes' URLs with each tap: they need no speech settings of their own.
            remoteTaps = new RemoteAudioTaps(pool, speechConfig.remote()::urlsFor, config.tapPollInterval(),
                    TAP_CLOSE_WAIT);
        }
        return remoteTaps;
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
        synchronized (this) {
            if (remoteTaps != null) {
                remoteTaps.close();
            }
        }
        pool.close();
    }
}
