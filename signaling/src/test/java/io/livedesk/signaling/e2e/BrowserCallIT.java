package io.livedesk.signaling.e2e;

import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.server.LiveDeskNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product in real browsers: a customer on the demo bank page asks for a video call through
 * the widget, a staff member accepts in the console, and both receive each other's camera and
 * microphone (fake devices) — proven by WebRTC statistics, not by signaling alone. Then the customer
 * hangs up and both pages show the call ended, and its record says so.
 */
class BrowserCallIT {
    private static final String STATS = """
            const which = arguments[0];
            const done = arguments[arguments.length - 1];
            const pc = which === 'desk' ? window.LiveDeskDesk.peerConnection() : window.LiveDesk.debug.peerConnection();
            if (!pc) { done({frames: 0, audio: 0}); return; }
            pc.getStats().then(stats => {
              let frames = 0, audio = 0;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
                if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.packetsReceived || 0;
              });
              done({frames: frames, audio: audio});
            }, e => done({error: String(e)}));
            """;
    private static final String WIDGET = "return window.LiveDesk.debug.root().querySelector('[data-testid=\"' + arguments[0] + '\"]');";

    private static LiveDeskNode node;
    private static String base;

    @BeforeAll
    static void startServer() throws Exception {
        node = new LiveDeskNode(LiveDeskConfig.withOverrides(Map.of(
                "livedesk.server.port", 0, "livedesk.server.host", "127.0.0.1", "livedesk.auth.admin-key", "e2e-admin-key")));
        node.start();
        base = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopServer() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void customerAndStaffSeeAndHearEachOtherThenHangUp() throws Exception {
        try (Browser staff = new Browser(); Browser customer = new Browser()) {
            // Staff signs in with a token from the dev endpoint and goes available.
            staff.driver.get(base + "/console/");
            WebElement tokenBox = awaitElement(() -> staff.driver.findElement(by("desk-token")));
            tokenBox.sendKeys(staffToken());
            staff.driver.findElement(by("desk-signin")).click();
            awaitElement(() -> staff.driver.findElement(by("desk-status-available"))).click();
            awaitState(staff, "desk", "available");

            // The customer opens the demo bank page and asks for a call about accounts, in English.
            customer.driver.get(base + "/");
            awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-launch")).click();
            awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-name")).sendKeys("Li Wei");
            customer.js("const s = arguments[0]; s.value = 'accounts'; s.dispatchEvent(new Event('change', {bubbles: true}));",
                    awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-topic")));
            customer.js("const s = arguments[0]; s.value = 'en'; s.dispatchEvent(new Event('change', {bubbles: true}));",
                    awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-language")));
            ((WebElement) customer.js(WIDGET, "ld-start")).click();

            // The offer rings on the desk with the customer's name; staff accepts.
            WebElement offer = awaitElement(() -> staff.driver.findElement(by("desk-offer")));
            assertTrue(offer.getText().contains("Li Wei"), "the offer shows the customer's name: " + offer.getText());
            offer.findElement(by("desk-accept")).click();

            awaitState(staff, "desk", "in-call");
            awaitState(customer, "widget", "in-call");

            // Media flowed both ways: video frames decoded and audio packets received on each side.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    received(staff, "desk") && received(customer, "widget"));

            // The customer hangs up; both pages show the end.
            ((WebElement) customer.js(WIDGET, "ld-hangup")).click();
            awaitState(customer, "widget", "ended");
            awaitState(staff, "desk", "ended");
        }

        var calls = get("/api/calls?limit=5", supervisorToken());
        assertTrue(calls.contains("\"state\":\"ended\"") && calls.contains("\"endReason\":\"customer_hangup\""),
                "the call record shows the end: " + calls);
    }

    private static boolean received(Browser b, String which) {
        Map<String, Object> s = b.asyncJs(STATS, which);
        return ((Number) s.getOrDefault("frames", 0)).longValue() > 0 && ((Number) s.getOrDefault("audio", 0)).longValue() > 0;
    }

    private static void awaitState(Browser b, String which, String state) {
        String script = which.equals("desk") ? "return window.LiveDeskDesk && window.LiveDeskDesk.state();"
                : "return window.LiveDesk && window.LiveDesk.debug && window.LiveDesk.debug.state();";
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(b.js(script)));
        assertEquals(state, b.js(script));
    }

    private static <T> T awaitElement(Callable<T> find) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(find, e -> e != null && (!(e instanceof WebElement w) || (w.isDisplayed() && w.isEnabled())));
    }

    private static org.openqa.selenium.By by(String testId) {
        return org.openqa.selenium.By.cssSelector("[data-testid='" + testId + "']");
    }

    private static String staffToken() throws Exception {
        return mint("{\"role\":\"staff\",\"subject\":\"staff-e2e\",\"name\":\"Zhang Min\",\"skills\":[\"accounts\"],\"languages\":[\"en\",\"zh\"]}");
    }

    private static String supervisorToken() throws Exception {
        return mint("{\"role\":\"supervisor\",\"subject\":\"sup-e2e\",\"name\":\"Supervisor\"}");
    }

    private static String mint(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/dev/tokens"))
                .header("X-Admin-Key", "e2e-admin-key").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    private static String get(String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
