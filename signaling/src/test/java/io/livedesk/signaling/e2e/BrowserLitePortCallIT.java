package io.livedesk.signaling.e2e;

import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BrowserBridgeCallIT} on the bridge's own Netty port ({@code bridge.io = netty}, the default): the pages
 * get an ICE-lite answer, their checks are answered by the port's one agent, and DTLS, SRTP and forwarding run
 * over batched UDP I/O; the media still flows both ways through the bridge's port. The pages offer before ICE
 * gathering ends and trickle their candidates (the lite bridge learns their addresses from their checks). And an
 * ICE restart keeps the call on the same bridge endpoint: new ICE credentials, the same DTLS association, the
 * video goes on.
 */
class BrowserLitePortCallIT extends BrowserBridgeCallIT {
    private static final String LOCAL_UFRAG =
            "return /a=ice-ufrag:(\\S+)/.exec(window.LiveDesk.debug.peerConnection().localDescription.sdp)[1];";

    @Override
    Map<String, Object> settings() {
        return Map.of("livedesk.bridge.io", "netty");
    }

    /** Records what the page sends on its WebSocket(s), those already open included (the method is the prototype's). */
    private static final String RECORD_SENT = """
            window.__sent = [];
            const send = WebSocket.prototype.send;
            WebSocket.prototype.send = function (data) { window.__sent.push(String(data)); return send.call(this, data); };
            """;
    private static final String SIGNALS = """
            return window.__sent.map(s => JSON.parse(s)).filter(m => m.type === 'call.signal')
              .map(m => m.sdp ? 'sdp:' + m.sdp.type + ':' + (m.sdp.sdp.includes('a=candidate') ? 'with' : 'without')
                              : 'candidate');
            """;

    @Test
    void theCustomerOffersAtOnceAndTricklesItsCandidatesAndTheCallConnects() throws Exception {
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages().staffGoesAvailable(staff);
            pages().customerAsksForCall(customer, "Wang Lei");
            customer.js(RECORD_SENT);
            pages().staffAccepts(staff, customer, "Wang Lei");
            CallPages.awaitMediaBothWays(staff, customer);
            @SuppressWarnings("unchecked")
            List<String> signals = (List<String>) customer.js(SIGNALS);
            assertEquals("sdp:offer", signals.get(0).substring(0, 9), signals.toString());
            assertTrue(signals.contains("candidate"), "candidates trickled after the offer: " + signals);
            assertTrue(signals.indexOf("candidate") > 0, "the offer went first: " + signals);
            CallPages.customerHangsUp(staff, customer);
        }
    }

    @Test
    void anIceRestartKeepsTheCallOnTheSameEndpointAndTheVideoGoesOn() throws Exception {
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages().staffGoesAvailable(staff);
            pages().customerAsksForCall(customer, "Chen Jie");
            pages().staffAccepts(staff, customer, "Chen Jie");
            CallPages.awaitMediaBothWays(staff, customer);
            String callId = latestCall().path("callId").asText();
            List<String> endpoints = endpointIds(callId);
            String ufragBefore = (String) customer.js(LOCAL_UFRAG);

            customer.js("window.LiveDesk.debug.restartIce();");
            await().atMost(Duration.ofSeconds(10)).until(() -> !ufragBefore.equals(customer.js(LOCAL_UFRAG)));
            long framesAtRestart = CallPages.number(CallPages.mediaStats(customer, "widget"), "frames");
            long staffFramesAtRestart = CallPages.number(CallPages.mediaStats(staff, "desk"), "frames");
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() ->
                    CallPages.number(CallPages.mediaStats(customer, "widget"), "frames") > framesAtRestart + 30
                            && CallPages.number(CallPages.mediaStats(staff, "desk"), "frames") > staffFramesAtRestart + 30);
            Map<String, Object> after = CallPages.mediaStats(customer, "widget");
            assertEquals("connected", after.get("connectionState"), after.toString());
            assertNotEquals(ufragBefore, customer.js(LOCAL_UFRAG));
            assertEquals(endpoints, endpointIds(callId), "the same endpoints: restarted, not rebuilt");
            assertEquals("active", latestCall().path("state").asText());
            CallPages.customerHangsUp(staff, customer);
        }
    }

    private List<String> endpointIds(String callId) throws Exception {
        ConferenceStats stats = node().bridge().conferenceStats(new MeetingId(callId));
        return stats.endpoints().stream().map(EndpointStats::id).sorted().toList();
    }
}
