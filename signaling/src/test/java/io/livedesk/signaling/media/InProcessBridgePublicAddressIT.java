package io.livedesk.signaling.media;

import io.livedesk.signaling.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process bridge behind NAT, as a signaling node configures it: its port binds every interface and
 * the answers browsers get advertise the configured public address, then loopback. (That media still flows
 * through such a port: media's PublicAddressIT.) 203.0.113.7 is a documentation address, never contacted.
 */
@Timeout(60)
class InProcessBridgePublicAddressIT {

    @Test
    void answersAdvertiseThePublicAddressesWhileThePortBindsTheWildcard() throws Exception {
        int port = freeUdpPort();
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.address", "0.0.0.0", "livedesk.bridge.port", port,
                "livedesk.bridge.public-address", List.of("203.0.113.7", "127.0.0.1")));
             BridgeCall call = BridgeCall.start(node, "nat1")) {
            String sdp = call.offerAudio();
            List<String> candidates = sdp.lines().filter(l -> l.startsWith("a=candidate:")).toList();
            assertEquals(2, candidates.size(), sdp);
            assertTrue(candidates.get(0).contains(" 203.0.113.7 " + port + " typ host"), sdp);
            assertTrue(candidates.get(1).contains(" 127.0.0.1 " + port + " typ host"), sdp);
            assertFalse(sdp.contains("0.0.0.0 " + port), "the bound wildcard is never advertised:\n" + sdp);
            assertEquals(1, node.node().bridge().stats().conferences(), "the pool's one member is the in-process bridge");
            call.hangUp();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(0))) {
            return socket.getLocalPort();
        }
    }
}
