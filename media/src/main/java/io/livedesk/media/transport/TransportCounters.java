package io.livedesk.media.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Packet counters of one endpoint transport; updated from the ICE and DTLS threads. */
public final class TransportCounters {
    private final LongAdder rtpIn = new LongAdder();
    private final LongAdder rtcpIn = new LongAdder();
    private final LongAdder rtpOut = new LongAdder();
    private final LongAdder rtcpOut = new LongAdder();
    private final Map<TransportDrop, AtomicLong> dropped = new EnumMap<>(TransportDrop.class);

    TransportCounters() {
        for (TransportDrop reason : TransportDrop.values()) {
            dropped.put(reason, new AtomicLong());
        }
    }

    void rtpIn() {
        rtpIn.increment();
    }

    void rtcpIn() {
        rtcpIn.increment();
    }

    void rtpOut() {
        rtpOut.increment();
    }

    void rtcpOut() {
        rtcpOut.increment();
    }

    void dropped(TransportDrop reason) {
        dropped.get(reason).incrementAndGet();
    }

    /** A consistent-enough copy for metrics and tests. */
    public Snapshot snapshot() {
        Map<TransportDrop, Long> drops = new EnumMap<>(TransportDrop.class);
        dropped.forEach((reason, count) -> drops.put(reason, count.get()));
        return new Snapshot(rtpIn.sum(), rtcpIn.sum(), rtpOut.sum(), rtcpOut.sum(), Map.copyOf(drops));
    }

    /** Decrypted packets received, protected packets sent, and drops by reason. */
    public record Snapshot(long rtpIn, long rtcpIn, long rtpOut, long rtcpOut, Map<TransportDrop, Long> dropped) {
        public long dropped(TransportDrop reason) {
            return dropped.getOrDefault(reason, 0L);
        }
    }
}
