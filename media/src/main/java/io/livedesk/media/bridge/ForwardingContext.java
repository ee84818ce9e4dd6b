package io.livedesk.media.bridge;

import java.util.function.LongSupplier;

import io.livedesk.media.simulcast.SimulcastSettings;

/**
 * What every conference of one bridge shares: the clock, the bridge's own feedback SSRC, the
 * settings the packet path needs, and the stages that hold no per-conference state (each
 * conference builds its own {@link PacketPath} around them).
 */
final class ForwardingContext {
    final LongSupplier nanoClock;
    /** SSRC the bridge writes as the sender of the feedback it originates (PLI, FIR, NACK, REMB). */
    final int feedbackSsrc;
    final long keyframeMinIntervalNanos;
    final int packetCacheSize;
    final long packetCacheMaxAgeMs;
    final SimulcastSettings simulcast;

    final KeyframeRequester keyframes;
    final NackResponder nacks;
    final AudioTapFeed audioTaps = new AudioTapFeed();

    ForwardingContext(LongSupplier nanoClock, int feedbackSsrc, BridgeConfig config) {
        this.nanoClock = nanoClock;
        this.feedbackSsrc = feedbackSsrc;
        this.keyframeMinIntervalNanos = config.keyframeMinInterval().toNanos();
        this.packetCacheSize = config.packetCacheSize();
        this.packetCacheMaxAgeMs = config.packetCacheMaxAge().toMillis();
        this.simulcast = config.simulcast();
        this.keyframes = new KeyframeRequester(feedbackSsrc, keyframeMinIntervalNanos);
        this.nacks = new NackResponder(feedbackSsrc);
    }
}
