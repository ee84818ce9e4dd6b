package io.livedesk.media.simulcast;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.Vp8Descriptor;

/**
 * One receiver's view of a simulcast sender: of the layers (each its own SSRC, sequence numbers, timestamps and
 * VP8 picture ids) it forwards one, rewritten in place into a single continuous stream on {@code outSsrc}.
 * A change of layer takes effect only at a keyframe of the new layer (the receiver's decoder could not use
 * anything else); until then the current layer goes on, and {@link #wantsKeyframe()} tells the caller to ask the
 * sender for one. Across a switch the sequence numbers, picture ids and TL0PICIDX go on by one, and the timestamp
 * by the wall-clock time since the last forwarded packet (90 kHz), so the receiver sees no gap and no jump.
 *
 * <p>For retransmission it remembers, for the last {@link #WINDOW} rewritten sequence numbers, which layer SSRC and
 * original sequence number each came from ({@link #origin}), and rewrites a cached original exactly as it went out
 * the first time ({@link #rewriteResend}): a receiver's NACK names only its own numbering.
 *
 * <p>Not thread-safe for {@link #accept}: one receiver's packets are handled on one thread (the sender's);
 * {@link #target(int)} may be set from another, and {@link #origin} / {@link #rewriteResend} run on the receiver's
 * own thread (its NACKs): what they read is published by {@link #accept} through atomics, one slot a packet.
 */
public final class SimulcastRewriter {
    private static final int VIDEO_CLOCK_PER_MS = 90;
    /** Rewritten sequence numbers remembered for retransmission (a power of two). */
    public static final int WINDOW = 1024;
    /** What {@link #origin} returns for a number outside the window (or never sent). */
    public static final long UNKNOWN = -1;
    /** Stretches of constant offsets remembered; older ones (switches ago) are forgotten with their packets. */
    private static final int SEGMENTS = 16;

    /**
     * A stretch of the output stream taken from one layer SSRC with the same offsets: allocated at a switch (or when
     * a layer's SSRC changes), never per packet, and immutable, so the receiver's thread may read it safely.
     */
    private record Segment(int id, int layer, int ssrc, int seqDelta, long tsDelta, int pidDelta, int tl0Delta) {
    }

    /**
     * Per slot ({@code outSeq & (WINDOW - 1)}): the rewritten sequence number (16 bits), the original one (16 bits)
     * and the segment's id (32 bits), in one long so a reader never sees half of one packet and half of another.
     */
    private final AtomicLongArray sent = new AtomicLongArray(WINDOW);
    private final AtomicReferenceArray<Segment> segments = new AtomicReferenceArray<>(SEGMENTS);
    private Segment segment;
    private int nextSegmentId;
    /** The receiver's thread's own views, for {@link #rewriteResend}. */
    private final RtpPacket resendRtp = new RtpPacket();
    private final Vp8Descriptor resendVp8 = new Vp8Descriptor();

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
    private boolean lastOutMarker;
    private int lastOutPt;

    public SimulcastRewriter(int outSsrc) {
        this.outSsrc = outSsrc;
        for (int i = 0; i < WINDOW; i++) {
            sent.set(i, (long) (i ^ 1) << 48); // a rewritten number that never maps to slot i: empty
        }
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
        if (segment == null || segment.layer != layer || segment.ssrc != rtp.ssrc()) {
            startSegment(layer);
        }
        int originalSeq = rtp.sequenceNumber();
        int seq = (originalSeq + seqDelta) & 0xFFFF;
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
            lastOutMarker = rtp.marker();
            lastOutPt = rtp.payloadType();
        }
        started = true;
        sent.setRelease(seq & (WINDOW - 1), (long) seq << 48 | (long) originalSeq << 32 | (segment.id & 0xFFFFFFFFL));
        return true;
    }

    /** A new stretch of constant offsets (at a switch, or a layer's new SSRC); published before its packets. */
    private void startSegment(int layer) {
        segment = new Segment(nextSegmentId++, layer, rtp.ssrc(), seqDelta, tsDelta, pidDelta, tl0Delta);
        segments.set(segment.id & (SEGMENTS - 1), segment);
    }

    /**
     * Where the rewritten sequence number {@code outSeq} came from, if it is among the last {@link #WINDOW} sent:
     * read its parts with {@link #originLayer}, {@link #originSsrc} and {@link #originSequence}. Allocation-free.
     *
     * @return the packed origin, or {@link #UNKNOWN}
     */
    public long origin(int outSeq) {
        long slot = sent.getAcquire(outSeq & (WINDOW - 1));
        Segment s = segmentOf(outSeq, slot);
        if (s == null) {
            return UNKNOWN;
        }
        return (long) s.layer << 48 | (s.ssrc & 0xFFFFFFFFL) << 16 | ((slot >>> 32) & 0xFFFF);
    }

    public static int originLayer(long origin) {
        return (int) (origin >>> 48);
    }

    public static int originSsrc(long origin) {
        return (int) (origin >>> 16);
    }

    public static int originSequence(long origin) {
        return (int) (origin & 0xFFFF);
    }

    /** The segment {@code outSeq} was sent in, or null when its slot holds another number or the segment is gone. */
    private Segment segmentOf(int outSeq, long slot) {
        if ((int) (slot >>> 48) != (outSeq & 0xFFFF)) {
            return null;
        }
        int id = (int) slot;
        Segment s = segments.get(id & (SEGMENTS - 1));
        return s != null && s.id == id ? s : null;
    }

    /**
     * Rewrites in place a copy of the original packet that was sent as {@code outSeq} exactly as it went out then:
     * the same sequence number, timestamp, picture id, TL0PICIDX and SSRC. Runs on the receiver's thread.
     *
     * @return false when {@code outSeq} is no longer remembered, or the packet is not the one it came from
     */
    public boolean rewriteResend(byte[] buf, int off, int len, int outSeq) {
        Segment s = segmentOf(outSeq, sent.getAcquire(outSeq & (WINDOW - 1)));
        if (s == null || !resendRtp.wrap(buf, off, len) || resendRtp.ssrc() != s.ssrc
                || ((resendRtp.sequenceNumber() + s.seqDelta) & 0xFFFF) != (outSeq & 0xFFFF)
                || !resendVp8.read(buf, resendRtp.payloadOffset(), resendRtp.payloadLength())) {
            return false;
        }
        resendRtp.setSequenceNumber(outSeq & 0xFFFF);
        resendRtp.setTimestamp((int) (resendRtp.timestamp() + s.tsDelta));
        resendRtp.setSsrc(outSsrc);
        if (resendVp8.pictureIdOffset() >= 0) {
            int bits = resendVp8.pictureIdBits();
            int pid = (Vp8Descriptor.pictureId(buf, resendVp8.pictureIdOffset(), bits) + s.pidDelta) & ((1 << bits) - 1);
            Vp8Descriptor.setPictureId(buf, resendVp8.pictureIdOffset(), bits, pid);
        }
        if (resendVp8.tl0PicIdxOffset() >= 0) {
            buf[resendVp8.tl0PicIdxOffset()] = (byte) ((buf[resendVp8.tl0PicIdxOffset()] & 0xFF) + s.tl0Delta);
        }
        return true;
    }

    /** Bytes a padding-only packet with a transport-wide number takes besides its padding. */
    public static final int PADDING_OVERHEAD = RtpPacket.FIXED_HEADER_LENGTH + 8;
    /** Where the transport-wide number's data sits in a packet {@link #padding} wrote. */
    public static final int PADDING_TRANSPORT_WIDE_AT = RtpPacket.FIXED_HEADER_LENGTH + 5;
    /** Most padding one packet carries: its count is one byte (RFC 3550 section 5.1). */
    public static final int MAX_PADDING = 255;

    /**
     * Writes a padding-only packet (RFC 3550 section 5.1: P set, no payload, the last byte the padding's length) that
     * continues this receiver's stream: the next sequence number, the last forwarded timestamp and payload type, with
     * an empty transport-wide sequence number element (one-byte form, id {@code transportWideId}) for the caller to
     * number, at {@link #PADDING_TRANSPORT_WIDE_AT}. The packets after it are numbered on past it, so the receiver
     * sees no gap. Only at a frame boundary (the last forwarded packet ended a frame), as libwebrtc pads without
     * RTX: a receiver's jitter buffer would not assemble a frame whose packets a padding packet splits.
     *
     * @param padding 1 to {@link #MAX_PADDING} bytes
     * @return the packet's length, or -1 when no padding can go now (nothing forwarded yet, or within a frame)
     */
    public int padding(byte[] out, int padding, int transportWideId) {
        if (!started || !lastOutMarker || padding < 1 || padding > MAX_PADDING || transportWideId < 1
                || transportWideId > 14 || out.length < PADDING_OVERHEAD + padding) {
            return -1;
        }
        int seq = (lastOutSeq + 1) & 0xFFFF;
        seqDelta = (seqDelta + 1) & 0xFFFF;
        lastOutSeq = seq;
        out[0] = (byte) 0xB0; // V=2, P, X
        out[1] = (byte) lastOutPt;
        out[2] = (byte) (seq >> 8);
        out[3] = (byte) seq;
        int ts = (int) lastOutTs;
        out[4] = (byte) (ts >> 24);
        out[5] = (byte) (ts >> 16);
        out[6] = (byte) (ts >> 8);
        out[7] = (byte) ts;
        out[8] = (byte) (outSsrc >> 24);
        out[9] = (byte) (outSsrc >> 16);
        out[10] = (byte) (outSsrc >> 8);
        out[11] = (byte) outSsrc;
        out[12] = (byte) 0xBE;
        out[13] = (byte) 0xDE;
        out[14] = 0;
        out[15] = 1;
        out[16] = (byte) (transportWideId << 4 | 1);
        out[17] = 0;
        out[18] = 0;
        out[19] = 0;
        int len = PADDING_OVERHEAD + padding;
        java.util.Arrays.fill(out, PADDING_OVERHEAD, len - 1, (byte) 0);
        out[len - 1] = (byte) padding;
        return len;
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
