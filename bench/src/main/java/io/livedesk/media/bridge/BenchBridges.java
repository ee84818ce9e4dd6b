package io.livedesk.media.bridge;

import io.livedesk.media.api.MeetingId;
import io.livedesk.media.transport.MediaPacketListener;

import java.util.function.UnaryOperator;

/**
 * The forwarding benchmark's way into {@link LocalBridge}'s package-private seams. It lives in the
 * bridge's package but in the bench module, so the product jar keeps those seams closed.
 */
public final class BenchBridges {
    private BenchBridges() {
    }

    /** A bridge whose every endpoint link is passed through {@code linkWrapper}, housekeeping scheduled. */
    public static LocalBridge open(BridgeConfig config, UnaryOperator<EndpointLink> linkWrapper) {
        return new LocalBridge(config, System::nanoTime, true, linkWrapper);
    }

    /** Where the endpoint's transport hands decrypted RTP/RTCP (the start of the packet path), or null. */
    public static MediaPacketListener packetListener(LocalBridge bridge, MeetingId meetingId, String endpointId) {
        return bridge.packetListener(meetingId, endpointId);
    }
}
