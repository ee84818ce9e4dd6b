package io.livedesk.media.bridge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.rtp.PacketCache;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.rtp.SequenceExtender;

/**
 * One SSRC an endpoint declared it sends (mediasoup's Producer, one per stream): who owns it, its
 * NACK cache (primary video streams only), reception accounting, keyframe-request window (and the
 * request deferred to its end) and the last sender report forwarded (for RTT).
 *
 * <p>{@link #onReceived} runs on the owner's receive thread only (under its receiver lock); the other
 * fields are read or updated from receivers' threads and the housekeeper, hence atomics/volatiles.
 */
final class SenderStream {
    final int ssrc;
    final Endpoint owner;
    final MediaType type;
    /** False for a retransmission (RTX) SSRC of an FID group: no keyframe requests, no cache. */
    final boolean primary;
    /** Null unless primary video. */
    final PacketCache cache;
    /** The simulcast track this stream is a layer (or a layer's RTX) of; null for a plain stream. */
    final SimulcastSource simulcast;
    /** Its layer's index in {@link #simulcast}; -1 for a plain stream. */
    final int layer;
    /** A primary stream's RTX partner (its FID group's second SSRC), 0 when it has none. */
    private volatile int rtxSsrc;
    /** An RTX stream's packets, copied per receiver to number them on that receiver's RTX sequence; else null. */
    final byte[] rtxCopy;

    private final SequenceExtender sequence = new SequenceExtender();
    private long firstExtended = -1;
    private volatile long highestExtended = -1;
    private volatile long received;
    private volatile long bytesReceived;

    private final AtomicLong lastKeyframeRequestNanos = new AtomicLong(Long.MIN_VALUE);
    /** A request held back by the window, {@link KeyframeRequester#NONE} if none: sent when the window ends. */
    private final AtomicInteger pendingKeyframeRequest = new AtomicInteger(KeyframeRequester.NONE);
    private final AtomicInteger firSequence = new AtomicInteger();

    /** Middle 32 bits of the NTP time of the last SR forwarded, and when (nanos). */
    private volatile long lastSrMiddle = -1;
    private volatile long lastSrForwardedNanos;

    SenderStream(int ssrc, Endpoint owner, MediaType type, boolean primary, int cacheSize, long cacheMaxAgeMs) {
        this(ssrc, owner, type, primary, cacheSize, cacheMaxAgeMs, null, -1);
    }

    /**
     * A layer of a simulcast track (or, not primary, the layer's RTX): receivers get it rewritten; a layer is cached
     * in its own numbering, which a receiver's NACK is mapped back to by its rewriter.
     */
    SenderStream(int ssrc, Endpoint owner, boolean primary, SimulcastSource simulcast, int layer, int cacheSize,
                 long cacheMaxAgeMs) {
        this(ssrc, owner, MediaType.VIDEO, primary, cacheSize, cacheMaxAgeMs, simulcast, layer);
    }

    private SenderStream(int ssrc, Endpoint owner, MediaType type, boolean primary, int cacheSize, long cacheMaxAgeMs,
                         SimulcastSource simulcast, int layer) {
        this.ssrc = ssrc;
        this.owner = owner;
        this.type = type;
        this.primary = primary;
        this.simulcast = simulcast;
        this.layer = layer;
        this.rtxCopy = primary ? null : new byte[2048];
        this.cache = primary && type == MediaType.VIDEO ? new PacketCache(cacheSize, 1500, cacheMaxAgeMs) : null;
    }

    int rtxSsrc() {
        return rtxSsrc;
    }

    void rtxSsrc(int ssrc) {
        this.rtxSsrc = ssrc;
    }

    boolean isPrimaryVideo() {
        return primary && type == MediaType.VIDEO;
    }

    /** Reception accounting and caching of one packet of this stream; owner's receive thread only. */
    void onReceived(RtpPacket packet, long nowMs) {
        long extended = sequence.extend(packet.sequenceNumber());
        if (extended != SequenceExtender.REJECTED) {
            if (firstExtended < 0 || extended < firstExtended) {
                firstExtended = Math.max(extended, 0);
            }
            if (extended > highestExtended) {
                highestExtended = extended;
            }
        }
        received++;
        bytesReceived += packet.length();
        if (cache != null) {
            cache.insert(packet, nowMs);
        }
    }

    /** Packets of this stream that never arrived (expected from the sequence numbers minus received). */
    long lost() {
        long highest = highestExtended;
        if (highest < 0 || firstExtended < 0) {
            return 0;
        }
        return Math.max(0, highest - firstExtended + 1 - received);
    }

    long received() {
        return received;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    /**
     * Claims the right to send a keyframe request now, if the last one was at least
     * {@code minIntervalNanos} ago. {@link #releaseKeyframeRequest} undoes a claim whose send failed.
     */
    boolean claimKeyframeRequest(long nowNanos, long minIntervalNanos) {
        long last = lastKeyframeRequestNanos.get();
        if (last != Long.MIN_VALUE && nowNanos - last < minIntervalNanos) {
            return false;
        }
        return lastKeyframeRequestNanos.compareAndSet(last, nowNanos);
    }

    void releaseKeyframeRequest(long claimedAtNanos) {
        lastKeyframeRequestNanos.compareAndSet(claimedAtNanos, Long.MIN_VALUE);
    }

    /**
     * Remembers a request that came within the window: one request ({@code kind} PLI or FIR, FIR winning,
     * since a receiver that asked with FIR may not understand PLI) goes out when the window ends.
     */
    void deferKeyframeRequest(int kind) {
        pendingKeyframeRequest.accumulateAndGet(kind, Math::max);
    }

    boolean hasDeferredKeyframeRequest() {
        return pendingKeyframeRequest.get() != KeyframeRequester.NONE;
    }

    /** The deferred request's kind, now taken (a request going out answers it), or NONE. */
    int takeDeferredKeyframeRequest() {
        return pendingKeyframeRequest.getAndSet(KeyframeRequester.NONE);
    }

    int nextFirSequence() {
        return firSequence.getAndIncrement() & 0xFF;
    }

    void senderReportForwarded(long ntpTimestamp, long nowNanos) {
        lastSrForwardedNanos = nowNanos;
        lastSrMiddle = (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    /**
     * Round trip to a receiver from its report block about this stream: the time since the SR it
     * refers to was forwarded, minus how long the receiver held it (DLSR, 1/65536 s). -1 if the
     * block refers to another SR.
     */
    double roundTripMs(long lastSr, long delaySinceLastSr, long nowNanos) {
        if (lastSr == 0 || lastSr != lastSrMiddle) {
            return -1;
        }
        double rtt = (nowNanos - lastSrForwardedNanos) / 1e6 - delaySinceLastSr * 1000.0 / 65536.0;
        return rtt >= 0 ? rtt : -1;
    }
}
