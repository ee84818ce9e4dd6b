package io.livedesk.signaling.e2e;

import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One party of a bridged call drops, in real pages: the customer's widget says the advisor is reconnecting
 * within 3 s instead of showing a frozen picture and a running timer, and when the advisor does not come back
 * within the reconnect grace the call ends with a neutral message, not the tick of a normal hang-up. When only
 * the advisor's media stops (their socket stays), the bridge's media report is what tells; when their page comes
 * back and its media flows again, the widget is back to normal.
 */
class BrowserPeerDropIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserPeerDropIT.class);
    private static final Duration TOLD_WITHIN = Duration.ofSeconds(3);
    private static final String PEER_STATUS = "return window.LiveDesk.debug.peerStatus();";
    private static final String END_ICON = "return window.LiveDesk.debug.root().querySelector('[data-testid=\"ld-end-icon\"]').className;";

    private LiveDeskNode node;

    @AfterEach
    void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    private CallPages start(Duration grace) throws InterruptedException {
        node = CallPages.startBridgedNode(TestNode.freeUdpPort(),
                Map.of("livedesk.cluster.reconnect-grace", grace.toMillis() + "ms"));
        return CallPages.of(node);
    }

    @Test
    void theStaffPageClosedMidCallShowsReconnectingAtOnceThenEndsNeutrallyAfterTheGrace() throws Exception {
        Duration grace = Duration.ofSeconds(4);
        CallPages pages = start(grace);
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Li Wei");
            pages.staffAccepts(staff, customer, "Li Wei");
            CallPages.awaitMediaBothWays(staff, customer);
            assertEquals("connected", customer.js(PEER_STATUS));

            staff.driver().get("about:blank"); // the staff member closes the desk
            long closedAt = System.nanoTime();

            await().atMost(TOLD_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> "reconnecting".equals(customer.js(PEER_STATUS)));
            Duration told = Duration.ofNanos(System.nanoTime() - closedAt);
            log.info("the customer saw the advisor reconnecting after {} ms", told.toMillis());
            assertEquals("in-call", customer.js("return window.LiveDesk.debug.state();"));
            assertEquals("The advisor's connection dropped. Reconnecting…", customer.js(CallPages.WIDGET_TEXT, "ld-peer-status"));
            assertEquals(Boolean.TRUE, customer.js("return window.LiveDesk.debug.root().querySelector('[data-testid=\"ld-peer-status\"]').offsetParent !== null;"),
                    "the notice covers the frozen picture");
            assertEquals("Reconnecting…", customer.js("return window.LiveDesk.debug.root().querySelector('.timer').textContent;"),
                    "no running timer while the advisor is away");

            CallPages.awaitState(customer, "widget", "ended");
            Duration ended = Duration.ofNanos(System.nanoTime() - closedAt);
            log.info("the call ended {} ms after the staff page closed (grace {} ms)", ended.toMillis(), grace.toMillis());
            assertTrue(ended.compareTo(grace.minusMillis(500)) >= 0, "ended by the grace, not before: " + ended);
            assertEquals("The call ended: the advisor was disconnected.", customer.js(CallPages.WIDGET_TEXT, "ld-end-reason"));
            String icon = (String) customer.js(END_ICON);
            assertTrue(icon.contains("neutral") && !icon.contains("ok"), "no success tick: " + icon);
        }
        assertTrue(pages.get("/api/calls?limit=1", pages.supervisorToken()).contains("\"endReason\":\"staff_disconnected\""));
    }

    @Test
    void theCustomerPageClosedMidCallShowsReconnectingOnTheDeskThenEndsNeutrally() throws Exception {
        CallPages pages = start(Duration.ofSeconds(4));
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Wang Fang");
            pages.staffAccepts(staff, customer, "Wang Fang");
            CallPages.awaitMediaBothWays(staff, customer);

            customer.driver().get("about:blank");
            await().atMost(TOLD_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> "reconnecting".equals(staff.js("return window.LiveDeskDesk.peerStatus();")));
            assertEquals("The customer's connection dropped. Reconnecting…",
                    staff.driver().findElement(CallPages.by("desk-peer-status")).getText());
            assertEquals("Reconnecting…", staff.driver().findElement(CallPages.by("desk-call-timer")).getText());

            CallPages.awaitState(staff, "desk", "ended");
            assertEquals("The call ended: the customer was disconnected.",
                    staff.driver().findElement(CallPages.by("desk-end-reason")).getText());
            assertTrue(staff.driver().findElement(By.id("ended-icon")).getAttribute("class").contains("neutral"),
                    "no success tick on the desk either");
        }
    }

    @Test
    void mediaThatStopsIsReportedByTheBridgeAndTheReloadedPageBringsTheCallBack() throws Exception {
        CallPages pages = start(Duration.ofSeconds(30));
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Chen Jie");
            pages.staffAccepts(staff, customer, "Chen Jie");
            CallPages.awaitMediaBothWays(staff, customer);

            // The desk's media stops, its socket stays open: only the bridge can tell.
            staff.js("window.LiveDeskDesk.peerConnection().close();");
            long stoppedAt = System.nanoTime();
            await().atMost(TOLD_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> "reconnecting".equals(customer.js(PEER_STATUS)));
            log.info("the bridge's media report reached the customer after {} ms",
                    Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis());

            staff.driver().navigate().refresh(); // the desk signs in again and offers a new leg
            CallPages.awaitState(staff, "desk", "in-call");
            await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> "connected".equals(customer.js(PEER_STATUS)));
            assertEquals("in-call", customer.js("return window.LiveDesk.debug.state();"));
            long frames = CallPages.number(CallPages.mediaStats(customer, "widget"), "frames");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(() -> CallPages.number(CallPages.mediaStats(customer, "widget"), "frames") > frames + 10);

            CallPages.customerHangsUp(staff, customer);
            assertEquals("You ended the call.", customer.js(CallPages.WIDGET_TEXT, "ld-end-reason"));
            assertTrue(((String) customer.js(END_ICON)).contains("ok"), "a hang-up keeps its tick");
        }
    }
}
