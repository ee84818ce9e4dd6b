package io.livedesk.media.bridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.Rtx;
import io.livedesk.media.rtp.Vp8Descriptor;
import io.livedesk.media.simulcast.LayerController;
import io.livedesk.media.simulcast.LayerSelector;
import io.livedesk.media.simulcast.Probing;
import io.livedesk.media.simulcast.SimulcastRewriter;
import io.livedesk.media.simulcast.SimulcastSettings;

/**
 * One simulcast video track of a sender (mediasoup's simulcast Producer): its layers, each a {@link SenderStream} of
 * its own SSRC, and per receiver a {@link View} that forwards one layer rewritten onto {@link #receiverSsrc} as one
 * continuous stream. Layers simulcast by rid are learned from their first packets' rid header extension; by SSRC
 * they are known from the start. A layer's height is read off its keyframes and its bitrate measured, so the choice
 * does not depend on the order the browser listed its layers in.
 *
 * <p>{@link #forward} and {@link #learn} run on the owner's receive thread (under its receiver's lock); the
 * housekeeper reads layer state and updates each view's target; signaling threads change {@link #layers} through
 * the conference, under its lock.
 */
final class SimulcastSource {
    /**
     * New SSRCs learned per second at most: a browser has a handful (a layer and its RTX, again after a restart); a
     * sender making up SSRCs with a valid rid would otherwise rebuild the conference's SSRC table per packet.
     */
    static final int MAX_LEARNED_PER_SECOND = 8;
    /** A layer that sent nothing for this long is left out of the choice (the browser paused it, or it stalled). */
    static final long LAYER_IDLE_NANOS = 2_000_000_000L;

    final Endpoint owner;
    final String id;
    final int receiverSsrc;
    /** The layers' rids in the offer's order (a layer's index is its position); empty when by SSRC. */
    final List<String> rids;
    private final int layerCount;
    private final SimulcastSettings settings;

    /** Per layer index: its stream once known (by SSRC: from the start), and what was learnt of it. */
    private final AtomicReferenceArray<SenderStream> layers;
    private final int[] heights;
    private final long[] bitrates;
    private final long[] lastBytes;
    private final long[] lastPacketNanos;
    private long lastRateNanos;
    private long learnWindowStartNanos = Long.MIN_VALUE;
    private int learnedInWindow;

    private final Map<Endpoint, View> views = new ConcurrentHashMap<>();
    /** The owner's receive thread's copy of a packet being rewritten for one receiver. */
    private final byte[] copy = new byte[2048];
    private final byte[] keyframeRequest = new byte[512];
    private final RtpPacket rtp = new RtpPacket();
    /** The owner's receive thread's view of a layer packet restored from RTX. */
    private final RtpPacket restored = new RtpPacket();
    private final Vp8Descriptor vp8 = new Vp8Descriptor();

    /** Padding packets sent at one frame boundary at most: a probe is paced by the frames it rides on. */
    static final int MAX_PADDING_BURST = 32;

    /**
     * One receiver's state: the rewriter (owner's receive thread), the layer controller (housekeeper), and the probe
     * the controller asked for: started by the housekeeper, its padding sent by the owner's receive thread (the one
     * that owns the rewriter's numbering) after each frame it forwards to the receiver, at the probe's rate, until
     * its time or byte budget is spent.
     */
    static final class View implements Probing {
        final SimulcastRewriter rewriter;
        final LayerController controller;
        private final Endpoint receiver;
        private final SimulcastSettings settings;
        private volatile long probeBps;
        private volatile long probeUntilNanos;
        private volatile long probeBytesLeft;
        /** Owner's receive thread: when padding was last owed up to. */
        private long paddedUntilNanos;

        View(int receiverSsrc, SimulcastSettings settings, Endpoint receiver) {
            this.rewriter = new SimulcastRewriter(receiverSsrc);
            this.controller = new LayerController(settings);
            this.receiver = receiver;
            this.settings = settings;
        }

        @Override
        public void start(long paddingBps, long nowNanos) {
            long duration = settings.probeDuration().toNanos();
            probeBytesLeft = Math.min(settings.probeMaxBytes(), paddingBps * duration / 8_000_000_000L);
            probeBps = paddingBps;
            probeUntilNanos = nowNanos + duration; // written last: the receive thread reads it first
        }

        @Override
        public long overuses() {
            io.livedesk.media.bwe.SendSideEstimator estimator = receiver.sendSide;
            return estimator == null ? 0 : estimator.overuses();
        }

        /** Owner's receive thread, after forwarding a packet to the receiver: the padding owed since the last. */
        void pad(byte[] out, long nowNanos) {
            long until = probeUntilNanos;
            if (until == 0) {
                return;
            }
            if (nowNanos >= until || probeBytesLeft <= 0) {
                probeUntilNanos = 0;
                paddedUntilNanos = 0;
                return;
            }
            long from = paddedUntilNanos == 0 ? until - settings.probeDuration().toNanos() : paddedUntilNanos;
            long owed = Math.min(probeBps * Math.max(0, nowNanos - from) / 8_000_000_000L, probeBytesLeft);
            int id = receiver.transportCcExtension();
            for (int i = 0; i < MAX_PADDING_BURST && owed > 0 && id > 0; i++) {
                int len = rewriter.padding(out, SimulcastRewriter.MAX_PADDING, id);
                if (len < 0) {
                    return; // within a frame: the next frame boundary pays what is owed
                }
                paddedUntilNanos = nowNanos;
                if (receiver.sendRtp(out, 0, len, SimulcastRewriter.PADDING_TRANSPORT_WIDE_AT)) {
                    receiver.counters.probeSent(len);
                }
                owed -= len;
                probeBytesLeft -= len;
            }
        }
    }

    SimulcastSource(Endpoint owner, String id, int receiverSsrc, List<String> rids, int layerCount,
                    SimulcastSettings settings) {
        this.owner = owner;
        this.id = id;
        this.receiverSsrc = receiverSsrc;
        this.rids = List.copyOf(rids);
        this.layerCount = layerCount;
        this.settings = settings;
        this.layers = new AtomicReferenceArray<>(layerCount);
        this.heights = new int[layerCount];
        this.bitrates = new long[layerCount];
        this.lastBytes = new long[layerCount];
        this.lastPacketNanos = new long[layerCount];
    }

    int layerCount() {
        return layerCount;
    }

    /** The layer index of {@code rid}, or -1. */
    int layerOf(String rid) {
        return rids.indexOf(rid);
    }

    /** Under the conference's lock: whether one more SSRC may be learned now ({@link #MAX_LEARNED_PER_SECOND}). */
    boolean mayLearn(long nowNanos) {
        if (learnWindowStartNanos == Long.MIN_VALUE || nowNanos - learnWindowStartNanos >= 1_000_000_000L) {
            learnWindowStartNanos = nowNanos;
            learnedInWindow = 0;
        }
        return learnedInWindow++ < MAX_LEARNED_PER_SECOND;
    }

    /** Under the conference's lock: the layer's stream from now on (a new SSRC for a rid replaces the old one). */
    SenderStream layer(int index, SenderStream stream) {
        return layers.getAndSet(index, stream);
    }

    /**
     * Forwards one packet of a layer to every other endpoint that gets this layer now, rewritten for each; notes
     * the layer's keyframe size; asks for a keyframe of a layer a receiver waits to switch to.
     */
    void forward(SenderStream stream, RtpPacket packet, Endpoint[] endpoints, KeyframeRequester keyframes,
                 long nowNanos) {
        int layer = stream.layer;
        lastPacketNanos[layer] = nowNanos;
        byte[] buf = packet.buffer();
        int off = packet.offset();
        int len = packet.length();
        noteKeyframe(layer, buf, off, len);
        if (len > copy.length) {
            owner.counters.drop(ForwardingDrop.MALFORMED_RTP);
            return;
        }
        long nowMs = nowNanos / 1_000_000L;
        int transportWide = TransportWideStamp.locate(buf, off, len, owner.transportCcExtension());
        if (transportWide >= 0) {
            transportWide -= off; // where it is in the copy
        }
        for (Endpoint receiver : endpoints) {
            if (!receiver.receivesFrom(owner)) {
                continue;
            }
            if (receiver.relay) {
                // Every layer, unchanged: the bridge at the other end chooses a layer per receiver of its own.
                if (receiver.sendRtp(buf, off, len, transportWide < 0 ? -1 : transportWide + off)) {
                    receiver.counters.forwardedRtp();
                }
                continue;
            }
            View view = views.get(receiver);
            if (view == null) {
                view = views.computeIfAbsent(receiver, r -> new View(receiverSsrc, settings, r));
            }
            SimulcastRewriter rewriter = view.rewriter;
            if (rewriter.wantsKeyframe()) {
                SenderStream wanted = layerStream(rewriter.target());
                if (wanted != null) {
                    keyframes.requestPli(wanted, nowNanos, keyframeRequest);
                }
            }
            if (layer != rewriter.current() && layer != rewriter.target()) {
                continue;
            }
            System.arraycopy(buf, off, copy, 0, len);
            if (rewriter.accept(copy, 0, len, layer, nowMs) && receiver.sendRtp(copy, 0, len, transportWide)) {
                receiver.counters.forwardedRtp();
                view.pad(copy, nowNanos);
            }
        }
    }

    /**
     * A layer's RTX packet (the sender answering a NACK the bridge sent it for a receiver): restored into the
     * layer's cache, where the receiver's next NACK for it (browsers repeat theirs) finds it, to be resent rewritten
     * as its original went out. Not forwarded: the receivers' streams have no RTX, and the rewriters number only
     * what they forward live. Rare, so {@link Rtx#unwrap}'s one header view per packet is left as it is.
     *
     * @return false when it cannot be used (no RTX payload type negotiated for it, its layer unknown, malformed)
     */
    boolean cacheRetransmission(SenderStream rtx, RtpPacket packet, long nowMs) {
        SenderStream layer = layerStream(rtx.layer);
        int pt = owner.repairedPayloadType(packet.payloadType());
        if (layer == null || layer.cache == null || pt == 0) {
            return false;
        }
        int len = Rtx.unwrap(packet.buffer(), packet.offset(), packet.length(), pt, layer.ssrc, copy, 0);
        return len > 0 && restored.wrap(copy, 0, len) && layer.cache.insert(restored, nowMs);
    }

    /** Reads the frame size off a keyframe's first packet (RFC 6386 section 9.1: start code, then width, height). */
    private void noteKeyframe(int layer, byte[] buf, int off, int len) {
        if (!rtp.wrap(buf, off, len) || !vp8.read(buf, rtp.payloadOffset(), rtp.payloadLength()) || !vp8.keyframe()) {
            return;
        }
        int p = rtp.payloadOffset() + vp8.length();
        if (p + 10 > rtp.payloadOffset() + rtp.payloadLength()) {
            return;
        }
        if ((buf[p + 3] & 0xFF) == 0x9d && (buf[p + 4] & 0xFF) == 0x01 && (buf[p + 5] & 0xFF) == 0x2a) {
            heights[layer] = ((buf[p + 9] & 0x3F) << 8) | (buf[p + 8] & 0xFF);
        }
    }

    /** The layer's stream now, or null (not known yet, or no such layer). */
    SenderStream layerStream(int index) {
        return index >= 0 && index < layerCount ? layers.get(index) : null;
    }

    /**
     * Housekeeper: measures the layers' bitrates and decides each receiver's layer. A receiver that left is
     * forgotten.
     *
     * @param estimate a receiver's estimate (send-side where it sends transport-cc feedback, then it can be probed
     *                 before a move up; else its fresh REMB), or 0
     */
    void choose(Endpoint[] endpoints, long nowNanos, java.util.function.ToLongFunction<Endpoint> estimate) {
        long elapsed = nowNanos - lastRateNanos;
        if (elapsed >= 200_000_000L) {
            for (int i = 0; i < layerCount; i++) {
                SenderStream s = layerStream(i);
                long bytes = s == null ? 0 : s.bytesReceived();
                bitrates[i] = lastRateNanos == 0 ? 0 : Math.max(0, bytes - lastBytes[i]) * 8L * 1_000_000_000L / elapsed;
                lastBytes[i] = bytes;
            }
            lastRateNanos = nowNanos;
        }
        List<LayerSelector.Layer> active = activeLayers(nowNanos);
        views.keySet().removeIf(Endpoint::isExpired);
        for (Endpoint receiver : endpoints) {
            View view = views.get(receiver);
            if (view == null) {
                continue;
            }
            int target = view.controller.update(active, view.rewriter.current(), estimate.applyAsLong(receiver),
                    receiver.fractionLost(), receiver.maxVideoHeight(), nowNanos,
                    receiver.hasSendSideEstimate(nowNanos) ? view : null);
            if (target >= 0) {
                view.rewriter.target(target);
            }
        }
    }

    /** Layers that sent lately and whose keyframe told their height, lowest first. */
    List<LayerSelector.Layer> activeLayers(long nowNanos) {
        List<LayerSelector.Layer> active = new ArrayList<>(layerCount);
        for (int i = 0; i < layerCount; i++) {
            if (layerStream(i) != null && heights[i] > 0 && lastPacketNanos[i] != 0
                    && nowNanos - lastPacketNanos[i] < LAYER_IDLE_NANOS) {
                active.add(new LayerSelector.Layer(i, heights[i], bitrates[i]));
            }
        }
        active.sort(Comparator.comparingInt(LayerSelector.Layer::height));
        return active;
    }

    /** The layer a receiver gets now, or -1 (for feedback: its PLI and reports are about that layer). */
    SenderStream forwardedTo(Endpoint receiver) {
        View view = views.get(receiver);
        if (view == null) {
            return null;
        }
        int current = view.rewriter.current();
        return layerStream(current >= 0 ? current : view.rewriter.target());
    }

    View view(Endpoint receiver) {
        return views.get(receiver);
    }
}
