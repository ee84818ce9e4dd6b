package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.call.PeerToPeerRelay;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.live.BroadcastMedia;

import java.util.List;
import java.util.Map;
import io.livedesk.speech.SpeechConfig;
import io.livedesk.speech.api.SpeechService;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;

/** Browser-to-browser media: the server relays SDP and candidates and holds no media. */
public record PeerToPeerMedia(List<Map<String, Object>> iceServers) implements MediaMode {
    private static final AudioTaps NO_TAPS = AudioTaps.none("calls use peer-to-peer media, which never reaches the server");

    @Override
    public MediaNegotiator negotiator(MessageRouter router, LegObserver legs, Executor workers,
                                      CallMediaStore store) {
        return new PeerToPeerRelay(router, iceServers);
    }

    /** Livestreams need the bridge: every offer is refused with {@code not_supported}. */
    @Override
    public BroadcastMedia broadcastMedia(MessageRouter router, LiveDeskConfig.Live live, Executor workers) {
        return BroadcastMedia.NONE;
    }

    @Override
    public AudioTaps audioTaps(SpeechService speech, SpeechConfig speechConfig, Clock clock) {
        return NO_TAPS;
    }

    @Override
    public Bridge localBridge() {
        return null;
    }

    @Override
    public BridgePool bridgePool() {
        return null;
    }

    /** Browsers carry the media: nothing here can keep a call from having it. */
    @Override
    public Optional<String> notReady() {
        return Optional.empty();
    }

    @Override
    public void start() {
    }

    @Override
    public void close() {
    }
}
