package io.livedesk.signaling.e2e;

import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.Map;

import static io.livedesk.signaling.e2e.CallPages.ADMIN_KEY;
import static io.livedesk.signaling.e2e.CallPages.awaitElement;
import static io.livedesk.signaling.e2e.CallPages.by;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallboard as a supervisor sees it, in headless Chromium: the demo sign-in offers the supervisor role,
 * the wallboard lists every queue, and a customer who asks for a call appears in their queue's waiting count
 * without a reload; a supervisor is not listed among the staff.
 */
class BrowserWallboardIT {
    @RegisterExtension
    static final BridgedNode NODE = new BridgedNode(Map.of());

    @Test
    void aSupervisorSignsInFromTheDemoFormAndWatchesACustomerJoinTheQueue() {
        try (Browsers browsers = Browsers.start(2)) {
            Chromium supervisor = browsers.get(0);
            Chromium customer = browsers.get(1);
            supervisor.driver().get("http://127.0.0.1:" + NODE.node().port() + "/console/");
            awaitElement(() -> supervisor.driver().findElement(by("desk-demo-name"))).sendKeys("Chen Jing");
            supervisor.driver().findElement(by("desk-role-supervisor")).click();
            supervisor.driver().findElement(by("desk-admin-key")).sendKeys(ADMIN_KEY);
            supervisor.driver().findElement(by("desk-demo-signin")).click();

            WebElement board = awaitElement(() -> supervisor.driver().findElement(by("desk-wallboard")));
            await().atMost(Duration.ofSeconds(10)).until(() -> ((Number) supervisor.js(
                    "return document.querySelectorAll(\"[data-testid='desk-wallboard-queue']\").length;")).intValue() == 8);
            assertEquals(0L, supervisor.js(
                    "return document.querySelectorAll(\"[data-testid='desk-wallboard-staff'][data-staff-id^='sup-']\").length;"),
                    "a supervisor is not listed as staff");
            assertTrue(board.isDisplayed());

            NODE.pages().customerAsksForCall(customer, "Li Wei");
            // The bank page's status line comes from GET /api/status: nobody is available here.
            await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(customer.js(
                    "const e = document.querySelector(\"[data-testid='bank-status']\"); return e ? e.textContent : '';")),
                    t -> t.equals("All advisors busy"));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting(supervisor, "accounts/en"), w -> w.equals("1"));
            assertEquals("1", waiting(supervisor, "accounts/en"));
        }
    }

    /** The waiting cell of a queue's row, read in one step (the board is redrawn every second). */
    private static String waiting(Chromium supervisor, String queue) {
        return String.valueOf(supervisor.js("const r = document.querySelector(\"[data-testid='desk-wallboard-queue'][data-queue='\""
                + " + arguments[0] + \"']\"); return r ? r.querySelector('td').textContent : '';", queue));
    }
}
