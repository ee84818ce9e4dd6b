package io.livedesk.media.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet and byte counters of one endpoint, updated from its own receive thread (in) and from the
 * receive threads of the other endpoints (out). LongAdder keeps the hot path uncontended.
 */
final class EndpointCounters {
    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder packetsOut = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder rtpForwarded = new LongAdder();
    private final LongAdder retransmitted = new LongAdder();
    private final LongAdder nacksToSender = new LongAdder();
    private final LongAdder keyframeRequestsToSender = new LongAdder();
    private final LongAdder rembsToSender = new LongAdder();
    private final LongAdder transportFeedbackToSender = new LongAdder();
    private final LongAdder probePackets = new LongAdder();
    private final LongAdder probeBytes = new LongAdder();
    private final AtomicLongArray dropped = new AtomicLongArray(ForwardingDrop.values().length);

    void in(int bytes) {
        packetsIn.increment();
        bytesIn.add(bytes);
    }

    void out(int bytes) {
        packetsOut.increment();
        bytesOut.add(bytes);
    }

    void forwardedRtp() {
        rtpForwarded.increment();
    }

    void addRetransmitted() {
        retransmitted.increment();
    }

    void nackToSender() {
        nacksToSender.increment();
    }

    void keyframeRequestToSender() {
        keyframeRequestsToSender.increment();
    }

    void transportFeedbackToSender() {
        transportFeedbackToSender.increment();
    }

    long transportFeedbacksToSender() {
        return transportFeedbackToSender.sum();
    }

    /** A padding-only probe packet sent to this endpoint (also counted as out). */
    void probeSent(int bytes) {
        probePackets.increment();
        probeBytes.add(bytes);
    }

    long probePackets() {
        return probePackets.sum();
    }

    long probeBytes() {
        return probeBytes.sum();
    }

    void rembToSender() {
        rembsToSender.increment();
    }

    void drop(ForwardingDrop cause) {
        dropped.incrementAndGet(cause.ordinal());
    }

    long packetsIn() {
        return packetsIn.sum();
    }

    long bytesIn() {
        return bytesIn.sum();
    }

    long packetsOut() {
        return packetsOut.sum();
    }

    long bytesOut() {
        return bytesOut.sum();
    }

    /** RTP packets of other endpoints forwarded to this one (retransmissions not included). */
    long rtpForwarded() {
        return rtpForwarded.sum();
    }

    /** Packets resent to this endpoint from a packet cache in answer to its NACKs. */
    long retransmitted() {
        return retransmitted.sum();
    }

    /** NACKs this endpoint (as a sender) got from the bridge for packets no cache held. */
    long nacksToSender() {
        return nacksToSender.sum();
    }

    /** PLI/FIR this endpoint (as a sender) got from the bridge. */
    long keyframeRequestsToSender() {
        return keyframeRequestsToSender.sum();
    }

    long rembsToSender() {
        return rembsToSender.sum();
    }

    long dropped(ForwardingDrop cause) {
        return dropped.get(cause.ordinal());
    }

    long droppedTotal() {
        long total = 0;
        for (int i = 0; i < dropped.length(); i++) {
            total += dropped.get(i);
        }
        return total;
    }

    /** Non-zero drop counts by {@link ForwardingDrop#key()}. */
    Map<String, Long> droppedByCause() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ForwardingDrop cause : ForwardingDrop.values()) {
            long n = dropped.get(cause.ordinal());
            if (n > 0) {
                out.put(cause.key(), n);
            }
        }
        return out;
    }
}
