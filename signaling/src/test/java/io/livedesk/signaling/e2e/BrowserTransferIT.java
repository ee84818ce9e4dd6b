package io.livedesk.signaling.e2e;

import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.signaling.e2e.CallPages.awaitElement;
import static io.livedesk.signaling.e2e.CallPages.awaitState;
import static io.livedesk.signaling.e2e.CallPages.by;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transfer as the customer and the second staff member live it, in three headless Chromium pages: the
 * second staff member sees, before accepting and in the call, what the customer's page sent along and the
 * note the first one wrote; and the customer's video never stalls for more than a second while it switches
 * from the first staff member to the second (decoded frames sampled from getStats() every 100 ms).
 */
class BrowserTransferIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserTransferIT.class);
    private static final String NOTE = "Wants to fix the rate for 5 years";
    /** Samples the customer's decoded video frames (all inbound streams together) every 100 ms. */
    private static final String SAMPLE_FRAMES = """
            const pc = window.LiveDesk.debug.peerConnection();
            window.__frames = [];
            window.__sampler = setInterval(() => pc.getStats().then(st => {
              let f = 0;
              st.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') f += s.framesDecoded || 0; });
              window.__frames.push([Date.now(), f]);
            }), 100);
            """;
    /**
     * The longest time the decoded-frame count stood still among the samples taken since {@code arguments[0]}
     * (the page's clock, ms), and when that stall began: {longest, startedAt}.
     */
    private static final String LONGEST_STALL = """
            const s = window.__frames.filter(x => x[0] >= arguments[0]);
            let longest = 0, since = s.length ? s[0][0] : 0, at = 0;
            for (let i = 1; i < s.length; i++) {
              if (s[i][1] > s[i - 1][1]) since = s[i][0];
              else if (s[i][0] - since > longest) { longest = s[i][0] - since; at = since; }
            }
            return [longest, at];
            """;

    @RegisterExtension
    static final BridgedNode NODE = new BridgedNode(Map.of("livedesk.routing.ring-timeout", "60s"));

    @Test
    void theNextStaffMemberGetsTheContextAndTheNoteAndTheCustomersVideoNeverStalls() throws Exception {
        try (Browsers browsers = Browsers.start(3)) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            Chromium second = browsers.get(2);
            NODE.pages().staffGoesAvailable(second, NODE.pages().staffToken("staff-tr-2", "Wang Fang", "loans"));
            NODE.pages().staffGoesAvailable(staff, NODE.pages().staffToken("staff-tr-1", "Zhang Min", "accounts"));
            NODE.pages().customerAsksForCall(customer, "Li Wei");
            NODE.pages().staffAccepts(staff, customer, "Li Wei");
            CallPages.awaitMediaBothWays(staff, customer);

            customer.js(SAMPLE_FRAMES);
            awaitElement(() -> staff.driver().findElement(by("desk-transfer-note"))).sendKeys(NOTE);
            new Select(staff.driver().findElement(by("desk-transfer-topic"))).selectByValue("topic:loans");
            staff.driver().findElement(by("desk-transfer")).click();

            WebElement offer = awaitElement(() -> second.driver().findElement(by("desk-offer")));
            assertTrue(offer.getText().contains("Harbour Bank"), "the customer's page context: " + offer.getText());
            await().atMost(Duration.ofSeconds(10)).until(() -> offer.findElement(by("desk-offer-handover")).getText(),
                    t -> t.contains(NOTE) && t.contains("Zhang Min"));
            // The switch starts when the colleague accepts: from here on the customer's video must keep decoding.
            long switchAt = ((Number) customer.js("return Date.now();")).longValue();
            offer.findElement(by("desk-accept")).click();
            awaitState(second, "desk", "in-call");
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> second.driver().findElement(by("desk-customer-handover")).getText(), t -> t.contains(NOTE));
            assertTrue(second.driver().findElement(by("desk-customer-context")).getText().contains("Harbour Bank"),
                    second.driver().findElement(by("desk-customer-context")).getText());
            awaitState(staff, "desk", "ended");

            // The customer decodes the second staff member's video, and then some more of it.
            long secondVideo = await().atMost(Duration.ofSeconds(20)).until(
                    () -> CallPages.number(CallPages.videoStreams(second, "desk"), "outbound"), v -> v > 0);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> framesOf(customer, secondVideo) > 60);
            @SuppressWarnings("unchecked")
            List<Number> found = (List<Number>) customer.js(LONGEST_STALL, switchAt);
            long stall = found.get(0).longValue();
            if (stall > 0) {
                log.info("the customer's longest video stall across the switch: {} ms, {} ms after the accept", stall,
                        found.get(1).longValue() - switchAt);
            } else {
                log.info("the customer's video never stood still for a 100 ms sample across the switch");
            }
            assertTrue(stall <= 1_000, "the customer's decoded frames stood still for " + stall + " ms");
            CallPages.customerHangsUp(second, customer);
        }
    }

    @SuppressWarnings("unchecked")
    private static long framesOf(Chromium customer, long ssrc) {
        return ((List<Map<String, Object>>) CallPages.videoStreams(customer, "widget").get("inbound")).stream()
                .filter(s -> CallPages.number(s, "ssrc") == ssrc).mapToLong(s -> CallPages.number(s, "frames")).sum();
    }
}
