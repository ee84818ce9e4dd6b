package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.server.Metrics;
import io.livedesk.speech.SpeechConfig;
import io.livedesk.speech.api.SpeechService;

import java.time.Clock;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How calls' media flow on this node, chosen once from the configuration: browser to browser, through the
 * bridge in this process, or through a pool of remote bridges. The composition root asks it for the
 * negotiator calls use, the media of livestreams and what transcription can tap; nothing else branches on
 * the mode.
 */
public sealed interface MediaMode extends AutoCloseable permits PeerToPeerMedia, BridgedMedia {

    static MediaMode create(LiveDeskConfig config, String nodeId, Metrics metrics) {
        if (!config.calls().bridged()) {
            return new PeerToPeerMedia(config.calls().iceServers());
        }
        LiveDeskConfig.Bridge bridge = config.bridge();
        return bridge.remote().isEmpty() ? BridgedMedia.inProcess(bridge, nodeId, config.calls().iceServers(), metrics)
                : BridgedMedia.remote(bridge, nodeId, config.calls().iceServers(), metrics);
    }

    /**
     * The negotiator for calls.
     *
     * @param legs    hears of each participant's bridge leg (transcription); unused without a bridge
     * @param workers runs follow-up work that must not run on the thread that noticed it
     * @param store   where bridged calls' media state is kept for a node that takes them over; unused without a bridge
     */
    MediaNegotiator negotiator(MessageRouter router, LegObserver legs, Executor workers, CallMediaStore store);

    /**
     * Livestream media held on this node, through the same bridges as calls; {@link BroadcastMedia#NONE}
     * without a bridge. Work for broadcasts held on other nodes is not its business (see
     * {@link ClusterBroadcastMedia}).
     *
     * @param router  delivers answers and requests to offer again to the browsers
     * @param workers where news of lost bridges is handled (it calls bridges)
     */
    BroadcastMedia broadcastMedia(MessageRouter router, LiveDeskConfig.Live live, Executor workers);

    /**
     * What transcription can tap here; asked once. The in-process bridge's taps feed {@code speech}; remote bridge
     * nodes stream to the speech nodes of {@code speechConfig} (which must then be remote).
     */
    AudioTaps audioTaps(SpeechService speech, SpeechConfig speechConfig, Clock clock);

    /** The bridge in this process, or null (peer-to-peer media, remote bridges). */
    Bridge localBridge();

    /** The bridges calls go through, or null with peer-to-peer media. */
    BridgePool bridgePool();

    /**
     * Why a new call could not get media now, for {@code /readyz}; empty when it can (always without a bridge).
     * From the last checks: asks no bridge.
     */
    Optional<String> notReady();

    void start();

    @Override
    void close();
}
