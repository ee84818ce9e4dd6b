package io.livedesk.signaling.e2e;

import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.signaling.e2e.CallPages.awaitElement;
import static io.livedesk.signaling.e2e.CallPages.by;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A livestream end to end in headless Chromium, over two signaling nodes sharing one real Redis: the host
 * goes live from the studio in the staff console on node A; three viewer pages watch (two on node A, one on
 * node B, whose media signals node B hands to node A, which holds the broadcast's media); each decodes the
 * host's video; the one that joins late decodes a frame within 2 s of its connection; the host's count goes
 * to 3 and down when a viewer leaves; the host pins a card, a viewer presses its "consult now", a staff
 * member's desk gets the offer naming the broadcast and the card, accepts, and the two are in a call with
 * video both ways. On the way the chat crosses the nodes and the host moderates it (mute, delete). And the
 * viewer page at a phone's size.
 */
class BrowserLivestreamIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserLivestreamIT.class);
    private static final String SECRET = "livestream-e2e-secret-0123456789abcdef";
    private static final Duration T = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private static LiveDeskNode a;
    private static LiveDeskNode b;
    private static CallPages pagesA;

    /** Per viewer page: when its stream's connection came up and when it decoded its first frame (page clock). */
    private static final String WATCH_TIMINGS = """
            window.__ld = {connectedAt: null, firstFrameAt: null};
            const poll = setInterval(() => {
              const pc = window.LiveDeskLive && window.LiveDeskLive.peerConnection();
              if (!pc) return;
              if (!window.__ld.connectedAt && pc.connectionState === 'connected') window.__ld.connectedAt = performance.now();
              if (window.__ld.connectedAt && !window.__ld.firstFrameAt) {
                pc.getStats().then(stats => stats.forEach(s => {
                  if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded || 0) > 0 && !window.__ld.firstFrameAt) {
                    window.__ld.firstFrameAt = performance.now();
                    clearInterval(poll);
                  }
                }));
              }
            }, 20);
            """;
    /** Frames decoded and audio packets received on a page's stream (or consultation call) connection. */
    private static final String RECEIVED = """
            const which = arguments[0];
            const done = arguments[arguments.length - 1];
            const pc = which === 'call' ? window.LiveDeskLive.callPeerConnection()
                : which === 'studio' ? window.LiveDeskDesk.studioPeerConnection() : window.LiveDeskLive.peerConnection();
            if (!pc) { done({frames: 0, audio: 0}); return; }
            pc.getStats().then(stats => {
              let frames = 0, audio = 0, sentFrames = 0;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
                if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.packetsReceived || 0;
                if (s.type === 'outbound-rtp' && s.kind === 'video') sentFrames += s.framesEncoded || 0;
              });
              done({frames: frames, audio: audio, sentFrames: sentFrames, state: pc.connectionState});
            }, e => done({error: String(e)}));
            """;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        a = CallPages.startBridgedNode(TestNode.freeUdpPort(), settings("node-a"));
        b = CallPages.startBridgedNode(TestNode.freeUdpPort(), settings("node-b"));
        pagesA = CallPages.of(a);
    }

    private static Map<String, Object> settings(String nodeId) {
        return Map.of("livedesk.node-id", nodeId, "livedesk.redis.url", redis.url(), "livedesk.auth.jwt-secret", SECRET,
                "livedesk.live.stats-interval", "500ms", "livedesk.live.heartbeat-interval", "1s",
                "livedesk.routing.sweep-interval", "200ms");
    }

    @AfterAll
    static void stop() {
        for (LiveDeskNode n : new LiveDeskNode[] {b, a}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private static String base(LiveDeskNode n) {
        return "http://127.0.0.1:" + n.port();
    }

    @Test
    void aHostGoesLiveThreeViewersWatchAcrossTwoNodesAndACardsConsultNowBecomesACall() throws Exception {
        try (Browsers browsers = Browsers.start(5)) {
            Chromium host = browsers.get(0);
            Chromium staff = browsers.get(1);
            Chromium early = browsers.get(2);
            Chromium leaver = browsers.get(3);
            Chromium late = browsers.get(4);

            // The host goes live from the studio in the console (node A).
            String broadcastId = pagesA.hostGoesLive(host, "host-e2e", "Lin Wei", "Saving for your first home");
            await().atMost(T).until(() -> number(host.asyncJs(RECEIVED, "studio"), "sentFrames") > 0);

            // A staff member (node A) who takes consultations about wealth.
            pagesA.staffGoesAvailable(staff, pagesA.staffToken("staff-wealth", "Zhang Min", "wealth"));

            // Two viewers on node A.
            for (Chromium v : List.of(early, leaver)) {
                v.driver().get(base(a) + "/live/" + broadcastId + "?lang=en");
            }
            for (Chromium v : List.of(early, leaver)) {
                await().atMost(T).until(() -> number(v.asyncJs(RECEIVED, "stream"), "frames") > 0);
            }

            // The third joins late, on node B: a picture within 2 s of its connection.
            late.driver().get(base(b) + "/live/" + broadcastId + "?lang=en");
            late.js(WATCH_TIMINGS);
            await().atMost(T).until(() -> late.js("return window.__ld.firstFrameAt;") != null);
            double connected = ((Number) late.js("return window.__ld.connectedAt;")).doubleValue();
            double firstFrame = ((Number) late.js("return window.__ld.firstFrameAt;")).doubleValue();
            log.info("late viewer on node B: first frame {} ms after its connection", Math.round(firstFrame - connected));
            assertTrue(firstFrame - connected <= 2000, "first frame " + (firstFrame - connected) + " ms after connecting");
            assertEquals("live", late.js("return window.LiveDeskLive.state();"));

            // The host counts three, then two when one leaves.
            awaitText(host, "studio-count", "3");
            leaver.driver().get("about:blank");
            awaitText(host, "studio-count", "2");
            awaitText(late, "live-count", "2");

            // The chat across the nodes, and moderation: the host sees who wrote (node B's viewer), mutes them
            // (their input closes and says why) and deletes the message (gone from every viewer's list).
            late.driver().findElement(by("live-chat-input")).sendKeys("Hello from node B");
            late.driver().findElement(by("live-chat-send")).click();
            WebElement said = awaitElement(() -> host.driver().findElements(by("studio-chat-msg")).stream()
                    .filter(m -> m.getText().contains("Hello from node B")).findFirst().orElse(null));
            assertTrue(!said.getAttribute("data-viewer-id").isEmpty(), "the stage sees the sender's viewer id");
            awaitText(early, "live-chat-list", "Hello from node B");
            said.findElement(by("studio-chat-mute")).click();
            await().atMost(T).until(() -> !late.driver().findElement(by("live-chat-input")).isEnabled());
            assertTrue(!late.driver().findElement(by("live-chat-error")).getText().isBlank(), "the muted viewer is told");
            awaitElement(() -> host.driver().findElements(by("studio-chat-msg")).stream()
                    .filter(m -> m.getText().contains("Hello from node B")).findFirst().orElse(null))
                    .findElement(by("studio-chat-delete")).click();
            await().atMost(T).until(() -> !early.driver().findElement(by("live-chat-list")).getText().contains("Hello from node B"));
            saveScreenshot(host, "studio-live.png");

            // The host pins a card; the early viewer presses its "consult now" and gives a name.
            host.driver().findElement(by("studio-card-name")).sendKeys("Green savings fund");
            host.driver().findElement(by("studio-card-line")).sendKeys("3.2% a year, no fees");
            host.js("const s = arguments[0]; s.value = 'wealth'; s.dispatchEvent(new Event('change', {bubbles: true}));",
                    host.driver().findElement(by("studio-card-topic")));
            host.driver().findElement(by("studio-card-pin")).click();
            awaitElement(() -> early.driver().findElement(by("live-card-consult"))).click();
            awaitElement(() -> early.driver().findElement(by("live-name"))).sendKeys("Ann Lee");
            early.driver().findElement(by("live-name-submit")).click();

            WebElement offer = awaitElement(() -> staff.driver().findElement(by("desk-offer")));
            String origin = offer.findElement(by("desk-offer-origin")).getText();
            assertTrue(origin.contains("Saving for your first home") && origin.contains("Green savings fund"),
                    "the offer names the broadcast and the card: " + origin);
            assertTrue(offer.getText().contains("Ann Lee"), offer.getText());
            offer.findElement(by("desk-accept")).click();
            CallPages.awaitState(staff, "desk", "in-call");
            assertTrue(staff.driver().findElement(by("desk-customer-origin")).getText().contains("Green savings fund"),
                    "the call's customer card keeps where the consultation came from");

            awaitElement(() -> early.driver().findElement(by("live-call")));
            await().atMost(T).pollInterval(Duration.ofMillis(500)).until(() ->
                    CallPages.received(staff, "desk") && number(early.asyncJs(RECEIVED, "call"), "frames") > 0);
            assertEquals(null, early.js("return window.LiveDeskLive.peerConnection();"), "the stream pauses during the call");
        }
    }

    @Test
    void theViewerPageFitsAPhoneWithVideoCountChatAndConsultOnScreen() throws Exception {
        String hostToken = pagesA.mint("{\"role\":\"staff\",\"subject\":\"host-phone\",\"name\":\"Lin Wei\","
                + "\"skills\":[\"loans\"],\"languages\":[\"en\"],\"permissions\":[\"livestream\"]}");
        String id = createLive(hostToken, "理财直播：如何为第一套房储蓄 — a long title that must wrap on a phone");
        try (Chromium phone = new Chromium()) {
            phone.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", 390, "height", 844, "deviceScaleFactor", 3, "mobile", true));
            phone.driver().get(base(a) + "/live/" + id + "?lang=zh");
            await().atMost(T).until(() -> "live".equals(phone.js("return window.LiveDeskLive.state();")));
            assertEquals(390L, ((Number) phone.js("return window.innerWidth;")).longValue());
            assertTrue(((Number) phone.js("return document.documentElement.scrollWidth;")).longValue() <= 390,
                    "no horizontal scrolling");
            for (String testId : List.of("live-video", "live-count", "live-chat-input", "live-chat-send", "live-consult")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) phone.js("const r = document.querySelector(`[data-testid='"
                        + testId + "']`).getBoundingClientRect(); return {left: r.left, right: r.right, width: r.width,"
                        + " height: r.height, top: r.top};");
                log.info("{} at {}", testId, r);
                assertTrue(number(r, "width") > 0 && number(r, "height") > 0, testId + " is shown: " + r);
                assertTrue(((Number) r.get("left")).doubleValue() >= 0 && ((Number) r.get("right")).doubleValue() <= 390,
                        testId + " fits the width: " + r);
            }
            for (String hidden : List.of("live-card", "live-queue", "live-call")) {
                assertEquals(Boolean.FALSE, phone.js("const e = document.querySelector(`[data-testid='" + hidden
                        + "']`); return e.getClientRects().length > 0;"), hidden + " is not shown before it is needed");
            }
            assertEquals(1L, ((Number) phone.js("return document.querySelector(\"[data-testid='live-chat-input']\").labels.length;"))
                    .longValue(), "the chat's input has a label");
            assertEquals("polite", phone.js("return document.querySelector(\"[data-testid='live-count']\").getAttribute('aria-live');"));
            saveScreenshot(phone, "live-viewer-390x844.png");

            // "Consult now" on a phone: a name first (the viewer is anonymous), then the place in line over the
            // stream, which fits the screen, and leaving the line.
            phone.driver().findElement(by("live-consult")).click();
            awaitElement(() -> phone.driver().findElement(by("live-name"))).sendKeys("Ann Lee");
            phone.driver().findElement(by("live-name-submit")).click();
            WebElement queue = awaitElement(() -> phone.driver().findElement(by("live-queue")));
            assertTrue(!queue.getText().isBlank(), "the place in line is shown");
            assertTrue(queue.getRect().getX() >= 0 && queue.getRect().getX() + queue.getRect().getWidth() <= 390, "the line fits: " + queue.getRect());
            saveScreenshot(phone, "live-viewer-queued-390x844.png");
            awaitElement(() -> phone.driver().findElement(by("live-cancel"))).click();
            await().atMost(T).until(() -> !phone.driver().findElement(by("live-queue")).isDisplayed());
            assertTrue(phone.driver().findElement(by("live-consult")).isEnabled(), "and may ask again");

            // The host ends the broadcast: the page says so and lets the stream go.
            HttpResponse<String> ended = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base(a) + "/api/broadcasts/" + id + "/end"))
                    .header("Authorization", "Bearer " + hostToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ended.statusCode(), ended.body());
            await().atMost(T).until(() -> "ended".equals(phone.js("return window.LiveDeskLive.state();")));
            assertTrue(!phone.driver().findElement(by("live-state")).getText().isBlank(), "the page says it ended");
            assertEquals(null, phone.js("return window.LiveDeskLive.peerConnection();"));
        }
    }

    private static void saveScreenshot(Chromium page, String name) throws Exception {
        Path shot = Path.of("target", "screenshots", name);
        Files.createDirectories(shot.getParent());
        Files.write(shot, page.driver().getScreenshotAs(OutputType.BYTES));
        log.info("screenshot: {}", shot.toAbsolutePath());
    }

    /** A broadcast created and taken live over REST on node A; returns its id. */
    private static String createLive(String hostToken, String title) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"title\":\"" + title + "\",\"language\":\"en\",\"topic\":\"loans\",\"scheduledAt\":\"2026-12-01T09:00:00Z\"}";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base(a) + "/api/broadcasts"))
                .header("Authorization", "Bearer " + hostToken).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base(a) + "/api/broadcasts/" + id + "/live"))
                .header("Authorization", "Bearer " + hostToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), live.body());
        return id;
    }

    private static void awaitText(Chromium page, String testId, String contained) {
        await().atMost(T).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> page.driver().findElement(by(testId)).getText().contains(contained));
    }

    private static double number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
