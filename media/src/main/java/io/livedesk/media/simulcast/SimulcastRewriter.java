package io.livedesk.media.simulcast;

import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.Vp8Descriptor;

/**
 * One receiver's view of a simulcast sender: of the layers (each its own SSRC, sequence numbers, timestamps and
 * VP8 picture ids) it forwards one, rewritten in place into a single continuous stream on {@code outSsrc}.
 * A change of layer takes effect only at a keyframe of the new layer (the receiver's decoder could not use
 * anything else); until then the current layer goes on, and {@link #wantsKeyframe()} tells the caller to ask the
 * sender for one. Across a switch the sequence numbers, picture ids and TL0PICIDX go on by one, and the timestamp
 * by the wall-clock time since the last forwarded packet (90 kHz), so the receiver sees no gap and no jump.
 * Not thread-safe: one receiver's packets are handled on one thread; {@link #target(int)} may be set from another.
 */
public final class SimulcastRewriter {
    private static final int VIDEO_CLOCK_PER_MS = 90;

    private final int outSsrc;
    private final RtpPacket rtp = new RtpPacket();
    private final Vp8Descriptor vp8 = new Vp8Descriptor();
    /** Read by the thread that chooses layers; written only by the one that rewrites. */
    private volatile int current = -1;
    /** Written by the thread that chooses layers. */
    private volatile int target = -1;
    private boolean started;
    private int seqDelta;
    private long tsDelta;
    private int pidDelta;
    private int tl0Delta;
    private int lastOutSeq;
    private long lastOutTs;
    private int lastOutPid = -1;
    private int lastOutTl0 = -1;
    private long lastOutAtMs;

    public SimulcastRewriter(int outSsrc) {
        this.outSsrc = outSsrc;
    }

    /** The layer the receiver should get from now on (a switch waits for its keyframe). */
    public void target(int layer) {
        this.target = layer;
    }

    public int target() {
        return target;
    }

    /**
     * What the current layer's RTP timestamps gain on the way out, so its sender reports can be rewritten to
     * match (lip sync): its NTP time then maps to the timestamps the receiver sees.
     */
    public int timestampOffset() {
        return (int) tsDelta;
    }

    /** The layer being forwarded, or -1 before the first keyframe. */
    public int current() {
        return current;
    }

    /** A keyframe of the target layer is needed before the switch (or the start) can happen. */
    public boolean wantsKeyframe() {
        return target >= 0 && target != current;
    }

    /**
     * Decides on one packet of {@code layer} and, when it is to be forwarded, rewrites its SSRC, sequence number,
     * timestamp, picture id and TL0PICIDX in place.
     *
     * @param nowMs this bridge's clock, for the timestamp across a switch
     * @return true to forward it, false to drop it (another layer, or malformed)
     */
    public boolean accept(byte[] buf, int off, int len, int layer, long nowMs) {
        if (!rtp.wrap(buf, off, len) || !vp8.read(buf, rtp.payloadOffset(), rtp.payloadLength())) {
            return false;
        }
        if (layer != current) {
            if (layer != target || !vp8.keyframe()) {
                return false;
            }
            switchTo(buf, layer, nowMs);
        }
        int seq = (rtp.sequenceNumber() + seqDelta) & 0xFFFF;
        long ts = (rtp.timestamp() + tsDelta) & 0xFFFFFFFFL;
        rtp.setSequenceNumber(seq);
        rtp.setTimestamp((int) ts);
        rtp.setSsrc(outSsrc);
        int pid = -1;
        if (vp8.pictureIdOffset() >= 0) {
            int bits = vp8.pictureIdBits();
            pid = (Vp8Descriptor.pictureId(buf, vp8.pictureIdOffset(), bits) + pidDelta) & ((1 << bits) - 1);
            Vp8Descriptor.setPictureId(buf, vp8.pictureIdOffset(), bits, pid);
        }
        int tl0 = -1;
        if (vp8.tl0PicIdxOffset() >= 0) {
            tl0 = ((buf[vp8.tl0PicIdxOffset()] & 0xFF) + tl0Delta) & 0xFF;
            buf[vp8.tl0PicIdxOffset()] = (byte) tl0;
        }
        if (!started || ((seq - lastOutSeq) & 0xFFFF) < 0x8000) { // newer (a retransmission is older)
            lastOutSeq = seq;
            lastOutTs = ts;
            lastOutPid = pid;
            lastOutTl0 = tl0;
            lastOutAtMs = nowMs;
        }
        started = true;
        return true;
    }

    /** The offsets that carry the stream on from its last forwarded packet into {@code layer}'s keyframe. */
    private void switchTo(byte[] buf, int layer, long nowMs) {
        current = layer;
        if (!started) {
            seqDelta = 0;
            tsDelta = 0;
            pidDelta = 0;
            tl0Delta = 0;
            return;
        }
        seqDelta = (lastOutSeq + 1 - rtp.sequenceNumber()) & 0xFFFF;
        long elapsed = Math.max(1, (nowMs - lastOutAtMs) * VIDEO_CLOCK_PER_MS);
        tsDelta = (lastOutTs + elapsed - (rtp.timestamp() & 0xFFFFFFFFL)) & 0xFFFFFFFFL;
        if (vp8.pictureIdOffset() >= 0 && lastOutPid >= 0) {
            int bits = vp8.pictureIdBits();
            pidDelta = (lastOutPid + 1 - Vp8Descriptor.pictureId(buf, vp8.pictureIdOffset(), bits)) & ((1 << bits) - 1);
        }
        if (vp8.tl0PicIdxOffset() >= 0 && lastOutTl0 >= 0) {
            tl0Delta = (lastOutTl0 + 1 - (buf[vp8.tl0PicIdxOffset()] & 0xFF)) & 0xFF;
        }
    }
}
