package io.livedesk.media.bridge;

import io.livedesk.media.api.MediaFlow;

import java.time.Duration;

/**
 * Whether an endpoint's media still reaches the bridge, from its transport and the time of its last packet.
 * A browser in a call sends audio every 20 ms (silence too, or comfort noise with DTX) and RTCP every second or
 * so even when it only receives, so a gap of a couple of seconds means the page closed or its network went:
 * far sooner than the housekeeper's inactivity expiry, which must wait out real network trouble. STUN consent
 * checks do not count, as they keep flowing from a page whose media is stuck. Stateless: the endpoint holds the
 * facts, so any thread may ask at any time with its own clock reading.
 */
final class MediaStopDetector {
    private final long timeoutNanos;

    MediaStopDetector(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * @param iceFailed       ICE failed (or consent was lost): the browser cannot reach the bridge on this transport
     * @param anyPacket       a media packet (RTP or RTCP) ever arrived from the endpoint
     * @param lastPacketNanos when the last one arrived, on the bridge's clock
     */
    MediaFlow flow(boolean iceFailed, boolean anyPacket, long lastPacketNanos, long nowNanos) {
        if (iceFailed) {
            return MediaFlow.STOPPED;
        }
        if (!anyPacket) {
            return MediaFlow.CONNECTING;
        }
        return nowNanos - lastPacketNanos > timeoutNanos ? MediaFlow.STOPPED : MediaFlow.FLOWING;
    }

    MediaFlow flowOf(Endpoint endpoint, long nowNanos) {
        EndpointLink link = endpoint.link();
        return flow(link != null && link.isFailed(), endpoint.counters.packetsIn() > 0, endpoint.lastActivityNanos(),
                nowNanos);
    }
}
