package io.livedesk.signaling.e2e;

import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.Map;

import static io.livedesk.signaling.e2e.CallPages.WIDGET;
import static io.livedesk.signaling.e2e.CallPages.WIDGET_TEXT;
import static io.livedesk.signaling.e2e.CallPages.awaitState;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The other party drops, in two headless Chromium pages: the staff page is closed mid-call; the customer's
 * page says "reconnecting" within 3 s (before: a frozen picture and a running timer until the grace period
 * ended) and, once the grace period passes, ends the call with a neutral message, not under a success tick.
 */
class BrowserPeerDropIT {
    @RegisterExtension
    static final BridgedNode NODE = new BridgedNode(Map.of("livedesk.cluster.reconnect-grace", "6s"));

    @Test
    void theCustomerSeesReconnectingAtOnceAndANeutralEndAfterTheGracePeriod() throws Exception {
        try (Browsers browsers = Browsers.start(2)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            NODE.pages().staffGoesAvailable(staff);
            NODE.pages().customerAsksForCall(customer, "Li Wei");
            NODE.pages().staffAccepts(staff, customer, "Li Wei");
            CallPages.awaitMediaBothWays(staff, customer);
            assertTrue(((WebElement) customer.js(WIDGET, "ld-peer-status")).getAttribute("hidden") != null,
                    "nothing to say while both are there");

            long closedAt = System.nanoTime();
            staff.driver().get("about:blank"); // the desk's page goes away, and its connection with it
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(
                    () -> String.valueOf(customer.js(WIDGET_TEXT, "ld-peer-status")), t -> t.contains("reconnecting"));
            long shownMs = (System.nanoTime() - closedAt) / 1_000_000;
            assertTrue(shownMs <= 3_000, "shown after " + shownMs + " ms");
            assertEquals("in-call", customer.js("return window.LiveDesk.debug.state();"), "the call waits for them");

            awaitState(customer, "widget", "ended");
            String reason = String.valueOf(customer.js(WIDGET_TEXT, "ld-end-reason"));
            assertTrue(reason.contains("connection was lost"), reason);
            WebElement tick = (WebElement) customer.js(WIDGET, "ld-end-icon");
            WebElement neutral = (WebElement) customer.js(WIDGET, "ld-end-icon-neutral");
            assertFalse(tick.isDisplayed(), "no success tick for a call that broke off");
            assertTrue(neutral.isDisplayed());
        }
    }
}
