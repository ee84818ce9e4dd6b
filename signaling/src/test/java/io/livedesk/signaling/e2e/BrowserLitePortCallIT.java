package io.livedesk.signaling.e2e;

import java.util.Map;

/**
 * {@link BrowserBridgeCallIT} on the bridge's own Netty port ({@code bridge.io = netty}, issue 12): the pages
 * get an ICE-lite answer, their checks are answered by the port's one agent, and DTLS, SRTP and forwarding run
 * over batched UDP I/O; the media still flows both ways through the bridge's port.
 */
class BrowserLitePortCallIT extends BrowserBridgeCallIT {
    @Override
    Map<String, Object> settings() {
        return Map.of("livedesk.bridge.io", "netty");
    }
}
