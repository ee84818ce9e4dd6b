package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static io.livedesk.signaling.e2e.CallPages.awaitElement;
import static io.livedesk.signaling.e2e.CallPages.awaitState;
import static io.livedesk.signaling.e2e.CallPages.by;
import static io.livedesk.signaling.e2e.CallPages.clickInLiveCalls;
import static io.livedesk.signaling.e2e.CallPages.decodingStreams;
import static io.livedesk.signaling.e2e.CallPages.ownVideo;
import static io.livedesk.signaling.e2e.CallPages.tileVideo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three and more participants through the bridge, in four headless Chromium pages: a supervisor joins a
 * running call from the console's live-calls panel and receives both parties' video; then the staff
 * member transfers the call to another queue, a second staff page accepts, and the customer's page keeps
 * the same RTCPeerConnection (same transport to the bridge) while its inbound video switches to the
 * second staff member's. And a supervisor who barges in: the staff member's desk is told, shows them in a tile
 * labelled with their name, and takes the tile away when they leave; the customer never learns who they are.
 */
class BrowserSupervisorAndTransferIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserSupervisorAndTransferIT.class);
    /** Keeps every toast the desk shows (they go after 5 s) in window.__notices, from now on. */
    private static final String RECORD_NOTICES = """
            window.__notices = [];
            new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => window.__notices.push(n.textContent))))
                .observe(document.getElementById('toasts'), {childList: true});
            """;

    private static LiveDeskNode node;
    private static CallPages pages;
    private static int bridgePort;

    @BeforeAll
    static void startServer() throws Exception {
        bridgePort = io.livedesk.signaling.testing.TestNode.freeUdpPort();
        // Four pages share two cores: on a busy machine, finding and accepting an offer can take longer than
        // the production ring time (20 s), and an offer that rings out takes its card off the page mid-click.
        // Nothing here waits for an offer to ring out, so a longer ring time only keeps that from failing.
        node = CallPages.startBridgedNode(bridgePort, Map.of("livedesk.routing.ring-timeout", "60s"));
        pages = CallPages.of(node);
    }

    @AfterAll
    static void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void supervisorJoinsThenTheCallIsTransferredWithoutDroppingTheCustomersMedia() throws Exception {
        Bridge bridge = node.bridge();
        // The four pages' browsers start side by side; so do they shut down.
        try (Browsers browsers = Browsers.start(4)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            Chromium supervisor = browsers.get(2);
            Chromium second = browsers.get(3);
            // Meanwhile, in their own pages: the supervisor signs in to the console (its live-calls panel lists
            // the call once it runs), and a colleague with the loans skill goes available (they are not offered
            // the customer's accounts request, only the transfer to loans below).
            CompletableFuture<Void> supervisorSignedIn = inBackground("supervisor",
                    () -> pages.signInToConsole(supervisor, pages.supervisorToken()));
            CompletableFuture<Void> secondAvailable = inBackground("second staff",
                    () -> pages.staffGoesAvailable(second, pages.staffToken("staff-e2e-2", "Wang Fang", "loans")));
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Li Wei");
            pages.staffAccepts(staff, customer, "Li Wei");
            String callId = latestCall().path("callId").asText();
            CallPages.awaitMediaBothWays(staff, customer);

            // The supervisor listens in from the live-calls panel and sees both parties.
            supervisorSignedIn.get(60, TimeUnit.SECONDS);
            clickInLiveCalls(supervisor, callId, "desk-join");
            awaitState(supervisor, "desk", "in-call");
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> decodingStreams(supervisor, "desk").size() >= 2);
            Map<String, Object> supStats = CallPages.mediaStats(supervisor, "desk");
            assertEquals(bridgePort, CallPages.number(supStats, "remotePort"), "the supervisor's media comes from the bridge: " + supStats);
            Set<Long> seen = decodingStreams(supervisor, "desk");
            long staffVideo = ownVideo(staff, "desk");
            long customerVideo = ownVideo(customer, "widget");
            assertEquals(Set.of(staffVideo, customerVideo), seen, "the supervisor decodes exactly both parties' video");
            assertEquals(3, bridge.conferenceStats(new MeetingId(callId)).endpoints().size());
            JsonNode record = call(callId);
            assertEquals("sup-e2e", record.path("supervisors").path(0).asText(), record.toString());

            // The staff member transfers the call to loans, where the colleague is available.
            secondAvailable.get(60, TimeUnit.SECONDS);
            customer.js("window.LiveDesk.debug.peerConnection().__beforeTransfer = true;");
            new Select(awaitElement(() -> staff.driver().findElement(by("desk-transfer-topic")))).selectByValue("topic:loans");
            staff.driver().findElement(by("desk-transfer")).click();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    !staff.driver().findElement(by("desk-transfer-status")).getText().isBlank());
            assertEquals("in-call", staff.js("return window.LiveDeskDesk.state();"), "the staff member stays on until accepted");

            WebElement offer = awaitElement(() -> second.driver().findElement(by("desk-offer")));
            assertTrue(offer.getText().contains("Li Wei"), offer.getText());
            assertTrue(offer.findElement(by("desk-offer-transfer")).getText().contains("Zhang Min"), offer.getText());
            offer.findElement(by("desk-accept")).click();
            awaitState(second, "desk", "in-call");
            awaitState(staff, "desk", "ended");

            // The customer's page keeps its connection; its inbound video now carries the second staff member.
            long secondVideo = await().atMost(Duration.ofSeconds(20)).until(() -> ownVideo(second, "desk"), v -> v > 0);
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> decodingStreams(customer, "widget").contains(secondVideo));
            assertEquals(Boolean.TRUE, customer.js("return window.LiveDesk.debug.peerConnection().__beforeTransfer === true;"),
                    "the same RTCPeerConnection: the customer's media was not torn down");
            Map<String, Object> custStats = CallPages.mediaStats(customer, "widget");
            assertEquals("connected", custStats.get("connectionState"), custStats.toString());
            assertEquals(bridgePort, CallPages.number(custStats, "remotePort"), custStats.toString());
            long framesNow = CallPages.framesOf(customer, "widget", secondVideo);
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300))
                    .until(() -> CallPages.framesOf(customer, "widget", secondVideo) > framesNow + 10);
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> CallPages.received(second, "desk"));
            String note = await().atMost(Duration.ofSeconds(5)).until(
                    () -> String.valueOf(customer.js(CallPages.WIDGET_TEXT, "ld-call-note")), n -> !n.isBlank());
            assertTrue(note.contains("Wang Fang"), "the customer is told who took over: " + note);
            assertFalse(note.toLowerCase(java.util.Locale.ROOT).contains("supervisor"),
                    "a monitoring supervisor is never announced to the customer: " + note);

            record = call(callId);
            log.info("after the transfer: {}", record);
            assertEquals("staff-e2e-2", record.path("staff").path("id").asText(), record.toString());
            assertEquals("staff-e2e", record.path("formerStaff").path(0).asText(), record.toString());
            ConferenceStats stats = bridge.conferenceStats(new MeetingId(callId));
            assertEquals(3, stats.endpoints().size(), "customer, supervisor and the second staff member: " + stats);
            for (EndpointStats e : stats.endpoints()) {
                assertTrue(e.connected(), e.toString());
            }

            // The supervisor leaves; the call goes on between the customer and the second staff member.
            supervisor.driver().findElement(by("desk-hangup")).click();
            awaitState(supervisor, "desk", "ended");
            await().atMost(Duration.ofSeconds(10)).until(() -> bridge.conferenceStats(new MeetingId(callId)).endpoints().size() == 2);
            assertEquals("active", call(callId).path("state").asText());

            CallPages.customerHangsUp(second, customer);
            assertEquals("customer_hangup", call(callId).path("endReason").asText());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bridge.stats().conferences() == 0);
    }

    @Test
    void aSupervisorWhoBargesInIsLabelledAndAnnouncedOnTheStaffDeskAndTheirTileGoesWhenTheyLeave() throws Exception {
        try (Browsers browsers = Browsers.start(3)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            Chromium supervisor = browsers.get(2);
            CompletableFuture<Void> supervisorSignedIn = inBackground("supervisor",
                    () -> pages.signInToConsole(supervisor, pages.supervisorToken("sup-e2e-chen", "Chen Jing")));
            pages.staffGoesAvailable(staff, pages.staffToken("staff-e2e-zhang", "Zhang Min", "accounts"));
            pages.customerAsksForCall(customer, "Li Wei");
            pages.staffAccepts(staff, customer, "Li Wei");
            String callId = latestCall().path("callId").asText();
            CallPages.awaitMediaBothWays(staff, customer);
            assertEquals("Li Wei · Customer", staff.driver().findElement(by("desk-remote-label")).getText());
            staff.js(RECORD_NOTICES);

            supervisorSignedIn.get(60, TimeUnit.SECONDS);
            clickInLiveCalls(supervisor, callId, "desk-barge");
            awaitState(supervisor, "desk", "in-call");

            // The staff member's desk: a tile labelled with the supervisor, showing the supervisor's own camera.
            long supervisorVideo = await().atMost(Duration.ofSeconds(20)).until(() -> ownVideo(supervisor, "desk"), v -> v > 0);
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> tileVideo(staff, "Chen Jing · Supervisor"),
                            v -> v != null && CallPages.number(v, "ssrc") == supervisorVideo && CallPages.number(v, "frames") > 0);
            assertEquals("Li Wei · Customer", staff.driver().findElement(by("desk-remote-label")).getText(),
                    "the customer keeps the stage");
            await().atMost(Duration.ofSeconds(5)).until(() -> notices(staff), n -> n.contains("Chen Jing (supervisor) joined the call"));
            // The supervisor's desk labels the staff member's tile the same way.
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(() -> tileVideo(supervisor, "Zhang Min · Advisor"),
                            v -> v != null && CallPages.number(v, "ssrc") == ownVideo(staff, "desk") && CallPages.number(v, "frames") > 0);
            // The customer is told a supervisor joined, never who.
            String note = await().atMost(Duration.ofSeconds(10)).until(
                    () -> String.valueOf(customer.js(CallPages.WIDGET_TEXT, "ld-call-note")), n -> !n.isBlank());
            assertFalse(String.valueOf(customer.js("return window.LiveDesk.debug.root().textContent;")).contains("Chen Jing"),
                    "the customer's page never names the supervisor: " + note);

            // The supervisor leaves: their tile goes from the staff member's desk, who is told.
            supervisor.driver().findElement(by("desk-hangup")).click();
            awaitState(supervisor, "desk", "ended");
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> staff.driver().findElements(by("desk-remote-tile")).isEmpty());
            await().atMost(Duration.ofSeconds(5)).until(() -> notices(staff), n -> n.contains("Chen Jing (supervisor) left the call"));
            assertEquals("in-call", staff.js("return window.LiveDeskDesk.state();"), "the call goes on");

            CallPages.customerHangsUp(staff, customer);
        }
    }

    private static String notices(Chromium desk) {
        return String.valueOf(desk.js("return (window.__notices || []).join('\\n');"));
    }

    private interface Steps {
        void run() throws Exception;
    }

    /** Runs a page's steps on a thread of its own; its failure fails the {@code get} that waits for it. */
    private static CompletableFuture<Void> inBackground(String name, Steps steps) {
        return CompletableFuture.runAsync(() -> {
            try {
                steps.run();
            } catch (Exception e) {
                throw new CompletionException(name + " failed", e);
            }
        }, r -> {
            Thread t = new Thread(r, "e2e-" + name);
            t.setDaemon(true);
            t.start();
        });
    }

    private static JsonNode latestCall() throws Exception {
        return new ObjectMapper().readTree(pages.get("/api/calls?limit=1", pages.supervisorToken())).path("calls").path(0);
    }

    private static JsonNode call(String callId) throws Exception {
        return new ObjectMapper().readTree(pages.get("/api/calls/" + callId, pages.supervisorToken()));
    }
}
