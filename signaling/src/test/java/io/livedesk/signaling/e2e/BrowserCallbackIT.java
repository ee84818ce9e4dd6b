package io.livedesk.signaling.e2e;

import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.livedesk.signaling.e2e.CallPages.WIDGET;
import static io.livedesk.signaling.e2e.CallPages.WIDGET_TEXT;
import static io.livedesk.signaling.e2e.CallPages.awaitElement;
import static io.livedesk.signaling.e2e.CallPages.awaitState;
import static io.livedesk.signaling.e2e.CallPages.by;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No dead ends for the customer, in real pages: with nobody free the widget says so before queueing and offers
 * to wait or to be called back; a customer who waits the maximum wait is let go politely with the same choice;
 * a closed queue says when it opens and offers only the callback. The callback requests reach the desk of
 * staff of that queue with their context, and staff take one and close it with an outcome.
 */
class BrowserCallbackIT {
    private static final Duration MAX_WAIT = Duration.ofSeconds(4);

    private LiveDeskNode node;

    @AfterEach
    void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void busyClosedAndTooLongAllEndInACallbackThatStaffTakeAndClose() throws Exception {
        // Loans opens for one hour on a day three days from now (UTC, the default bank time zone): closed now.
        String day = LocalDate.now(ZoneOffset.UTC).plusDays(3).getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                .toLowerCase(Locale.ROOT);
        node = CallPages.startBridgedNode(TestNode.freeUdpPort(), Map.of(
                "livedesk.routing.max-wait", MAX_WAIT.toMillis() + "ms",
                "livedesk.routing.topics", List.of(Map.of("id", "accounts", "en", "Accounts", "zh", "账户服务"),
                        Map.of("id", "loans", "en", "Loans", "zh", "贷款", "hours", day + " 09:00-10:00"))));
        CallPages pages = CallPages.of(node);
        try (Browsers browsers = Browsers.start(3)) {
            Chromium staff = browsers.get(0);
            Chromium waiting = browsers.get(1);
            Chromium evening = browsers.get(2);
            // Signed in but away: nobody can answer.
            pages.signInToConsole(staff, pages.staffToken("staff-cb", "Zhang Min", "accounts"));
            awaitElement(() -> staff.driver().findElement(by("desk-callbacks")));

            // Nobody free: the widget says so before queueing; the customer waits anyway.
            asks(pages, waiting, "Li Wei", "accounts");
            awaitState(waiting, "widget", "choice");
            assertTrue(text(waiting, "ld-choice-reason").contains("helping other customers"), text(waiting, "ld-choice-reason"));
            click(waiting, "ld-choice-wait");
            awaitState(waiting, "widget", "queued");

            // The maximum wait passes: let go politely, with the callback on offer.
            await().atMost(MAX_WAIT.plusSeconds(10)).until(() -> "choice".equals(state(waiting)));
            assertTrue(text(waiting, "ld-choice-reason").contains("taking too long"), text(waiting, "ld-choice-reason"));
            click(waiting, "ld-choice-callback");
            awaitState(waiting, "widget", "callback");
            assertEquals("Li Wei", ((WebElement) waiting.js(WIDGET, "ld-cb-name")).getAttribute("value"), "the name carries over");
            ((WebElement) waiting.js(WIDGET, "ld-cb-phone")).sendKeys("call me maybe");
            click(waiting, "ld-cb-send");
            await().atMost(Duration.ofSeconds(5)).until(() -> text(waiting, "ld-cb-error").contains("phone number"));
            ((WebElement) waiting.js(WIDGET, "ld-cb-phone")).clear();
            ((WebElement) waiting.js(WIDGET, "ld-cb-phone")).sendKeys("+44 20 7946 0000");
            ((WebElement) waiting.js(WIDGET, "ld-cb-when")).sendKeys("after 6 pm");
            click(waiting, "ld-cb-send");
            awaitState(waiting, "widget", "callback-sent");
            assertTrue(text(waiting, "ld-cb-sent").contains("Li Wei"), text(waiting, "ld-cb-sent"));

            // The desk of a staff member of that queue shows it, with the page it came from, without a reload.
            WebElement open = awaitElement(() -> staff.driver().findElement(by("desk-callback-open")));
            assertTrue(open.getText().contains("Li Wei") && open.getText().contains("after 6 pm"), open.getText());
            assertFalse(open.getText().contains("7946"), "the number shows once taken: " + open.getText());
            open.findElement(by("desk-callback-take")).click();
            WebElement mine = awaitElement(() -> staff.driver().findElement(by("desk-callback-mine")));
            assertEquals("+44 20 7946 0000", mine.findElement(by("desk-callback-phone")).getText());
            new Select(mine.findElement(by("desk-callback-outcome"))).selectByValue("reached");
            mine.findElement(by("desk-callback-close")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> staff.driver().findElements(by("desk-callback-mine")).isEmpty()
                    && staff.driver().findElements(by("desk-callback-open")).isEmpty());

            // A closed queue: says when it opens, offers no waiting, only the callback (a note instead of a number).
            asks(pages, evening, "Chen Jing", "loans");
            awaitState(evening, "widget", "choice");
            assertTrue(text(evening, "ld-choice-reason").contains("not available now"), text(evening, "ld-choice-reason"));
            String capitalDay = DayOfWeek.valueOf(dayName(day)).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            assertTrue(text(evening, "ld-choice-sub").contains(capitalDay), text(evening, "ld-choice-sub"));
            assertFalse((Boolean) evening.js("return !arguments[0].hidden;", evening.js(WIDGET, "ld-choice-wait")),
                    "no waiting in a closed queue");
            click(evening, "ld-choice-callback");
            awaitState(evening, "widget", "callback");
            ((WebElement) evening.js(WIDGET, "ld-cb-note")).sendKeys("Questions about an early repayment");
            click(evening, "ld-cb-send");
            awaitState(evening, "widget", "callback-sent");
            // Only staff of the loans queue see it: not this accounts advisor.
            staff.driver().findElement(by("desk-callbacks-refresh")).click();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> staff.driver().findElements(by("desk-callback-open")).isEmpty());
        }
    }

    private static String dayName(String shortDay) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(shortDay)) {
                return d.name();
            }
        }
        throw new IllegalArgumentException(shortDay);
    }

    private static void asks(CallPages pages, Chromium customer, String name, String topic) {
        pages.customerAsksFor(customer, name, topic);
    }

    private static String state(Chromium page) {
        return (String) page.js("return window.LiveDesk && window.LiveDesk.debug && window.LiveDesk.debug.state();");
    }

    private static String text(Chromium page, String testId) {
        return (String) page.js(WIDGET_TEXT, testId);
    }

    private static void click(Chromium page, String testId) {
        ((WebElement) page.js(WIDGET, testId)).click();
    }
}
