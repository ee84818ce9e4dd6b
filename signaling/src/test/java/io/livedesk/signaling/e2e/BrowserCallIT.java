package io.livedesk.signaling.e2e;

import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product in real browsers: a customer on the demo bank page asks for a video call through
 * the widget, a staff member accepts in the console, and both receive each other's camera and
 * microphone (fake devices) — proven by WebRTC statistics, not by signaling alone. Then the customer
 * hangs up and both pages show the call ended, and its record says so.
 */
class BrowserCallIT {
    private static LiveDeskNode node;
    private static CallPages pages;

    @BeforeAll
    static void startServer() throws Exception {
        node = new LiveDeskNode(LiveDeskConfig.withOverrides(Map.of(
                "livedesk.server.port", 0, "livedesk.server.host", "127.0.0.1", "livedesk.auth.admin-key", "e2e-admin-key",
                "livedesk.calls.media", "p2p")));
        node.start();
        pages = new CallPages("http://127.0.0.1:" + node.port(), "e2e-admin-key");
    }

    @AfterAll
    static void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void customerAndStaffSeeAndHearEachOtherThenHangUp() throws Exception {
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Li Wei");
            pages.staffAccepts(staff, customer, "Li Wei");

            // Media flowed both ways: video frames decoded and audio packets received on each side.
            CallPages.awaitMediaBothWays(staff, customer);

            CallPages.customerHangsUp(staff, customer);
        }

        var calls = pages.get("/api/calls?limit=5", pages.supervisorToken());
        assertTrue(calls.contains("\"state\":\"ended\"") && calls.contains("\"endReason\":\"customer_hangup\""),
                "the call record shows the end: " + calls);
    }

    /**
     * Lets the test drop the page's WebSockets and keep new ones from reaching the server (they go to a
     * closed port) until it says otherwise: a customer whose connection is gone for a moment.
     */
    private static final String SOCKET_CONTROL = """
            (() => {
              const Real = window.WebSocket;
              const ctl = window.__ldNet = { sockets: [], offline: false };
              function Controlled(url, protocols) {
                const ws = new Real(ctl.offline ? "ws://127.0.0.1:9/" : url, protocols);
                ctl.sockets.push(ws);
                return ws;
              }
              Controlled.prototype = Real.prototype;
              Object.assign(Controlled, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
              window.WebSocket = Controlled;
            })();
            """;

    @Test
    void aCustomerAwayWhenTheStaffHungUpIsToldTheAdvisorEndedItNotThatTheirConnectionWasLost() throws Exception {
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            customer.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", SOCKET_CONTROL));
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Chen Jie");
            pages.staffAccepts(staff, customer, "Chen Jie");

            customer.js("window.__ldNet.offline = true; window.__ldNet.sockets.forEach(s => s.close());");
            staff.driver().findElement(By.cssSelector("[data-testid='desk-hangup']")).click();
            CallPages.awaitState(staff, "desk", "ended");
            customer.js("window.__ldNet.offline = false;");

            CallPages.awaitState(customer, "widget", "ended");
            assertEquals("The advisor ended the call.", customer.js(CallPages.WIDGET_TEXT, "ld-end-reason"));
        }
    }
}
