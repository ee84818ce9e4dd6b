package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.signaling.transcript.CaptionStatus;
import io.livedesk.signaling.transcript.Speaker;
import io.livedesk.signaling.transcript.TranscriptService;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.signaling.e2e.CallPages.awaitElement;
import static io.livedesk.signaling.e2e.CallPages.awaitState;
import static io.livedesk.signaling.e2e.CallPages.by;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's side of transcription in headless Chromium, the test playing the speech pipeline
 * ({@link TestNode#transcripts()}) and the customer (a WebSocket client; no customer media is needed):
 * live captions on the staff desk, an alert on a supervisor's desk whose "Listen in" joins the call (and
 * then shows its captions too), and the transcript dialog of the finished call with its .txt download.
 */
class BrowserCaptionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void captionsAlertsAndTheTranscriptOnTheDesk() throws Exception {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge"));
             Browsers browsers = Browsers.start(2);
             WsClient customer = node.signIn(node.customerToken("cust-b1", "Li Wei"))) {
            Chromium staff = browsers.get(0);
            Chromium supervisor = browsers.get(1);
            CallPages pages = new CallPages(node.baseUrl(), node.adminKey());
            TranscriptService tx = node.transcripts();
            pages.staffGoesAvailable(staff); // staff-e2e, Zhang Min, accounts
            pages.signInToConsole(supervisor, pages.supervisorToken());
            awaitElement(() -> supervisor.driver().findElement(by("desk-alerts")));

            customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
            awaitElement(() -> staff.driver().findElement(by("desk-offer"))).findElement(by("desk-accept")).click();
            awaitState(staff, "desk", "in-call");
            String callId = customer.awaitType("call.started", WsClient.DEFAULT_TIMEOUT).path("callId").asText();
            CallRecord call = node.node().calls().get(CallId.of(callId)).orElseThrow();
            long answered = call.answeredAtMs();
            // The staff page's own leg reports first (no speech model here: unavailable), so that the statuses
            // this test sends below are not overtaken by it.
            await().atMost(WAIT).until(() -> "unavailable".equals(
                    staff.driver().findElement(by("desk-captions-status")).getAttribute("data-status")));

            // Live captions: a partial line in a lighter style, replaced by its final; the staff's own lines are "You".
            tx.partial(call, Speaker.CUSTOMER, Subject.of("cust-b1"), "I lost my");
            awaitCaptions(staff, List.of(Map.of("speaker", "customer", "text", "I lost my", "final", false)));
            assertTrue(staff.driver().findElement(By.cssSelector("[data-testid='desk-caption'][data-final='false']"))
                    .getAttribute("class").contains("partial"));
            tx.finalResult(call, Speaker.CUSTOMER, Subject.of("cust-b1"), answered + 1_000, answered + 2_000, "I lost my card", List.of());
            tx.partial(call, Speaker.STAFF, Subject.of("staff-e2e"), "let me");
            awaitCaptions(staff, List.of(Map.of("speaker", "customer", "text", "I lost my card", "final", true),
                    Map.of("speaker", "staff", "text", "let me", "final", false)));
            tx.finalResult(call, Speaker.STAFF, Subject.of("staff-e2e"), answered + 3_000, answered + 4_000,
                    "never tell anyone your password", List.of());
            awaitCaptions(staff, List.of(Map.of("speaker", "customer", "text", "I lost my card", "final", true),
                    Map.of("speaker", "staff", "text", "never tell anyone your password", "final", true)));
            List<WebElement> lines = staff.driver().findElements(by("desk-caption"));
            assertEquals("Customer", lines.get(0).findElement(By.className("cap-who")).getText());
            assertEquals("You", lines.get(1).findElement(By.className("cap-who")).getText());
            tx.status(call, Speaker.CUSTOMER, CaptionStatus.LAGGING, null);
            await().atMost(WAIT).until(() -> staff.driver().findElement(by("desk-captions-status")).getText()
                    .equals("Customer: Captions are running behind"));

            // The supervisor, not in the call, gets the alert; "Listen in" joins and shows the call's captions.
            await().atMost(WAIT).until(() -> json(supervisor.js("return JSON.stringify(window.LiveDeskDesk.alerts());")).size() == 1);
            JsonNode alert = json(supervisor.js("return JSON.stringify(window.LiveDeskDesk.alerts());")).get(0);
            assertEquals(callId, alert.path("callId").asText());
            assertEquals("password", alert.path("rule").asText());
            assertEquals("Zhang Min", alert.path("staff").asText());
            assertEquals("Li Wei", alert.path("customer").asText());
            WebElement item = awaitElement(() -> supervisor.driver().findElement(by("desk-alert")));
            assertTrue(item.getText().contains("never tell anyone your password"), item.getText());
            item.findElement(by("desk-alert-join")).click();
            awaitState(supervisor, "desk", "in-call");
            CallRecord withSupervisor = await().atMost(WAIT)
                    .until(() -> node.node().calls().get(CallId.of(callId)).orElseThrow(), r -> !r.supervisorIds().isEmpty());
            tx.finalResult(withSupervisor, Speaker.CUSTOMER, Subject.of("cust-b1"), answered + 5_000, answered + 6_000, "thank you", List.of());
            awaitCaptions(supervisor, List.of(Map.of("speaker", "customer", "text", "thank you", "final", true)));
            assertEquals("Customer", supervisor.driver().findElement(by("desk-caption"))
                    .findElement(By.className("cap-who")).getText());

            // The call ends; its transcript opens from the recent calls and downloads as text.
            customer.requestOk(Map.of("type", "call.hangup", "callId", callId));
            awaitState(staff, "desk", "ended");
            WebElement recent = awaitElement(() -> staff.driver().findElement(By.cssSelector(
                    "[data-testid='desk-recent-item'][data-call-id='" + callId + "'] [data-testid='desk-transcript-open']")));
            recent.click();
            await().atMost(WAIT).until(() -> staff.driver().findElements(by("desk-transcript-line")).size() == 3);
            List<WebElement> shown = staff.driver().findElements(by("desk-transcript-line"));
            assertEquals("customer", shown.get(0).getAttribute("data-speaker"));
            assertTrue(shown.get(0).getText().contains("0:01"), shown.get(0).getText());
            assertTrue(shown.get(1).getText().contains("You"), shown.get(1).getText());

            staff.js("window.__blobs = []; const make = URL.createObjectURL;"
                    + "URL.createObjectURL = (b) => { window.__blobs.push(b); return make.call(URL, b); };");
            staff.driver().findElement(by("desk-transcript-download")).click();
            await().atMost(WAIT).until(() -> Long.valueOf(1).equals(staff.js("return window.__blobs.length;")));
            Map<String, Object> text = staff.asyncJs("const done = arguments[arguments.length - 1];"
                    + "window.__blobs[0].text().then(t => done({text: t}), e => done({error: String(e)}));");
            assertEquals("[00:00:01] Customer: I lost my card\n[00:00:03] Staff: never tell anyone your password\n"
                    + "[00:00:05] Customer: thank you\n", text.get("text"), text.toString());
            staff.driver().findElement(by("desk-transcript-close")).click();
            await().atMost(WAIT).until(() -> !staff.driver().findElement(by("desk-transcript")).isDisplayed());
        }
    }

    private static void awaitCaptions(Chromium page, List<Map<String, Object>> expected) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode shown = json(page.js("return JSON.stringify(window.LiveDeskDesk.captions());"));
            if (shown.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                Map<String, Object> e = expected.get(i);
                JsonNode s = shown.get(i);
                if (!e.get("speaker").equals(s.path("speaker").asText()) || !e.get("text").equals(s.path("text").asText())
                        || (Boolean) e.get("final") != s.path("final").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }

    private static JsonNode json(Object text) {
        try {
            return JSON.readTree(String.valueOf(text));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
