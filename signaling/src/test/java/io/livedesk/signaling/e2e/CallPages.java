package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.browser.Chromium;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steps of a customer–staff call in real pages, shared by the browser tests: staff signs in to the
 * console and goes available, the customer asks for a call through the demo page's widget, staff
 * accepts; WebRTC statistics of either page; the dev-token and REST helpers.
 */
final class CallPages {
    /**
     * Inbound media (with the largest decoded frame size) and the selected candidate pair of the desk's, the
     * widget's or a livestream viewer page's ({@code live}) RTCPeerConnection.
     */
    private static final String STATS = """
            const which = arguments[0];
            const done = arguments[arguments.length - 1];
            const pc = which === 'desk' ? window.LiveDeskDesk.peerConnection()
                : which === 'live' ? window.LiveDeskLive && window.LiveDeskLive.peerConnection()
                : window.LiveDesk.debug.peerConnection();
            if (!pc) { done({frames: 0, audio: 0}); return; }
            pc.getStats().then(stats => {
              let frames = 0, audio = 0, pairId = null, frameWidth = 0, frameHeight = 0;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  frames += s.framesDecoded || 0;
                  frameWidth = Math.max(frameWidth, s.frameWidth || 0);
                  frameHeight = Math.max(frameHeight, s.frameHeight || 0);
                }
                if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.packetsReceived || 0;
                if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
              });
              const r = {frames: frames, audio: audio, frameWidth: frameWidth, frameHeight: frameHeight,
                connectionState: pc.connectionState};
              const pair = pairId && stats.get(pairId);
              if (pair) {
                r.nominated = !!pair.nominated;
                const remote = stats.get(pair.remoteCandidateId);
                if (remote) { r.remoteAddress = remote.address; r.remotePort = remote.port; }
              }
              done(r);
            }, e => done({error: String(e)}));
            """;
    /** Per inbound video stream of a page: ssrc and frames decoded; and the ssrc of the page's own video. */
    private static final String VIDEO_STREAMS = """
            const which = arguments[0];
            const done = arguments[arguments.length - 1];
            const pc = which === 'desk' ? window.LiveDeskDesk.peerConnection() : window.LiveDesk.debug.peerConnection();
            if (!pc) { done({inbound: [], outbound: null}); return; }
            pc.getStats().then(stats => {
              const inbound = [];
              let outbound = null;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') inbound.push({ssrc: s.ssrc, frames: s.framesDecoded || 0});
                if (s.type === 'outbound-rtp' && s.kind === 'video' && !outbound) outbound = s.ssrc;
              });
              done({inbound: inbound, outbound: outbound, connectionState: pc.connectionState});
            }, e => done({error: String(e)}));
            """;
    /** The inbound video of the desk's tile with this label: {ssrc, frames}, or null while there is none. */
    private static final String TILE_VIDEO = """
            const label = arguments[0];
            const done = arguments[arguments.length - 1];
            const tile = [...document.querySelectorAll("[data-testid='desk-remote-tile']")]
                .find(t => t.querySelector("[data-testid='desk-tile-label']").textContent === label);
            const track = tile && tile.querySelector('video').srcObject && tile.querySelector('video').srcObject.getVideoTracks()[0];
            if (!track) { done(null); return; }
            window.LiveDeskDesk.peerConnection().getStats().then(stats => {
              let r = null;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video' && s.trackIdentifier === track.id) {
                  r = {ssrc: s.ssrc, frames: s.framesDecoded || 0};
                }
              });
              done(r);
            }, () => done(null));
            """;
    static final String WIDGET_TEXT = "const e = window.LiveDesk.debug.root().querySelector('[data-testid=\"' + arguments[0] + '\"]'); return e ? e.textContent : '';";
    static final String WIDGET = "return window.LiveDesk.debug.root().querySelector('[data-testid=\"' + arguments[0] + '\"]');";

    private final String base;
    private final String adminKey;

    static final String ADMIN_KEY = "e2e-admin-key";

    /**
     * Starts a node for browser tests on loopback: any HTTP port, the dev admin key, media through the
     * in-process bridge on {@code bridgePort}, plus {@code more} settings.
     */
    static LiveDeskNode startBridgedNode(int bridgePort, Map<String, Object> more) throws InterruptedException {
        Map<String, Object> settings = new java.util.HashMap<>(Map.of(
                "livedesk.server.port", 0, "livedesk.server.host", "127.0.0.1", "livedesk.auth.admin-key", ADMIN_KEY,
                "livedesk.calls.media", "bridge", "livedesk.bridge.address", "127.0.0.1", "livedesk.bridge.port", bridgePort));
        settings.putAll(more);
        LiveDeskNode node = new LiveDeskNode(LiveDeskConfig.withOverrides(settings));
        node.start();
        return node;
    }

    /** The pages of a node started by {@link #startBridgedNode}. */
    static CallPages of(LiveDeskNode node) {
        return new CallPages("http://127.0.0.1:" + node.port(), ADMIN_KEY);
    }

    CallPages(String base, String adminKey) {
        this.base = base;
        this.adminKey = adminKey;
    }

    /** Staff signs in with a token from the dev endpoint and goes available. */
    void staffGoesAvailable(Chromium staff) throws Exception {
        staffGoesAvailable(staff, staffToken());
    }

    void staffGoesAvailable(Chromium staff, String token) {
        signInToConsole(staff, token);
        awaitElement(() -> staff.driver().findElement(by("desk-status-available"))).click();
        awaitState(staff, "desk", "available");
    }

    /** Signs in to the staff console with the token (staff or supervisor). */
    void signInToConsole(Chromium page, String token) {
        page.driver().get(base + "/console/");
        WebElement tokenBox = awaitElement(() -> page.driver().findElement(by("desk-token")));
        tokenBox.sendKeys(token);
        page.driver().findElement(by("desk-signin")).click();
    }

    /** The customer opens the demo bank page and asks for a call about accounts, in English. */
    void customerAsksForCall(Chromium customer, String name) {
        customerAsksFor(customer, name, "accounts");
        waitsIfAsked(customer);
    }

    /**
     * When the widget says nobody is free before queueing (GET /api/status, cached up to 5 s, may not show an
     * advisor who just went available), the customer chooses to wait: the tests of calls are about the call.
     */
    static void waitsIfAsked(Chromium customer) {
        String state = await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .until(() -> String.valueOf(customer.js("return window.LiveDesk.debug.state();")),
                        s -> !s.equals("idle") && !s.equals("connecting"));
        if (state.equals("choice")) {
            ((WebElement) customer.js(WIDGET, "ld-choice-wait")).click();
        }
    }

    /** The customer opens the demo bank page and asks for a call about {@code topic}, in English. */
    void customerAsksFor(Chromium customer, String name, String topic) {
        customer.driver().get(base + "/");
        awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-launch")).click();
        awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-name")).sendKeys(name);
        customer.js("const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
                awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-topic")), topic);
        customer.js("const s = arguments[0]; s.value = 'en'; s.dispatchEvent(new Event('change', {bubbles: true}));",
                awaitElement(() -> (WebElement) customer.js(WIDGET, "ld-language")));
        ((WebElement) customer.js(WIDGET, "ld-start")).click();
    }

    /** The offer rings on the desk with the customer's name; staff accepts; both pages are in the call. */
    void staffAccepts(Chromium staff, Chromium customer, String customerName) {
        WebElement offer = awaitElement(() -> staff.driver().findElement(by("desk-offer")));
        assertTrue(offer.getText().contains(customerName), "the offer shows the customer's name: " + offer.getText());
        offer.findElement(by("desk-accept")).click();
        awaitState(staff, "desk", "in-call");
        awaitState(customer, "widget", "in-call");
    }

    /**
     * The whole call set-up: staff goes available, the customer Li Wei asks for a call, staff accepts, and media
     * flows both ways. Returns the call's id.
     */
    String connectCall(Chromium staff, Chromium customer) throws Exception {
        staffGoesAvailable(staff);
        customerAsksForCall(customer, "Li Wei");
        staffAccepts(staff, customer, "Li Wei");
        String callId = new ObjectMapper().readTree(get("/api/calls?limit=1", supervisorToken()))
                .path("calls").path(0).path("callId").asText();
        awaitMediaBothWays(staff, customer);
        return callId;
    }

    /** Waits until both pages decode video and receive audio. */
    static void awaitMediaBothWays(Chromium staff, Chromium customer) {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).until(() ->
                received(staff, "desk") && received(customer, "widget"));
    }

    /** The customer hangs up; both pages show the end. */
    static void customerHangsUp(Chromium staff, Chromium customer) {
        ((WebElement) customer.js(WIDGET, "ld-hangup")).click();
        awaitState(customer, "widget", "ended");
        awaitState(staff, "desk", "ended");
    }

    /**
     * {@code which} is {@code desk}, {@code widget} or {@code live} (a livestream viewer page): frames, audio,
     * frameWidth, frameHeight, nominated, remoteAddress, remotePort.
     */
    static Map<String, Object> mediaStats(Chromium b, String which) {
        return b.asyncJs(STATS, which);
    }

    /** {@code inbound}: a list of {ssrc, frames} per received video stream; {@code outbound}: own video ssrc. */
    static Map<String, Object> videoStreams(Chromium b, String which) {
        return b.asyncJs(VIDEO_STREAMS, which);
    }

    /** Presses a button of the call's item in the supervisor's live-calls panel. */
    static void clickInLiveCalls(Chromium supervisor, String callId, String button) {
        // The panel re-renders as calls change: find and click in one step, again if the list was redrawn.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(WebDriverException.class).until(() -> {
            supervisor.driver().findElement(By.cssSelector(
                    "[data-testid='desk-live-call'][data-call-id='" + callId + "'] [data-testid='" + button + "']")).click();
            return true;
        });
    }

    /** The inbound video of the desk's tile labelled {@code label}: {ssrc, frames}, or null while there is none. */
    static Map<String, Object> tileVideo(Chromium desk, String label) {
        return desk.asyncJs(TILE_VIDEO, label);
    }

    /** SSRCs of the video streams this page is decoding. */
    static Set<Long> decodingStreams(Chromium b, String which) {
        return inbound(b, which).stream().filter(s -> number(s, "frames") > 0)
                .map(s -> number(s, "ssrc")).collect(Collectors.toSet());
    }

    /** Per inbound video stream of the page: {ssrc, frames}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> inbound(Chromium b, String which) {
        return (List<Map<String, Object>>) videoStreams(b, which).get("inbound");
    }

    /** Frames the page decoded from its inbound video stream with this SSRC. */
    static long framesOf(Chromium b, String which, long ssrc) {
        return inbound(b, which).stream().filter(s -> number(s, "ssrc") == ssrc).mapToLong(s -> number(s, "frames")).sum();
    }

    /** The SSRC of the page's own video. */
    static long ownVideo(Chromium b, String which) {
        return number(videoStreams(b, which), "outbound");
    }

    static long number(Map<String, Object> stats, String key) {
        return stats.get(key) instanceof Number n ? n.longValue() : 0;
    }

    static boolean received(Chromium b, String which) {
        Map<String, Object> s = mediaStats(b, which);
        return number(s, "frames") > 0 && number(s, "audio") > 0;
    }

    static void awaitState(Chromium b, String which, String state) {
        String script = which.equals("desk") ? "return window.LiveDeskDesk && window.LiveDeskDesk.state();"
                : "return window.LiveDesk && window.LiveDesk.debug && window.LiveDesk.debug.state();";
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> state.equals(b.js(script)));
        assertEquals(state, b.js(script));
    }

    static <T> T awaitElement(Callable<T> find) {
        return await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(find, e -> e != null && (!(e instanceof WebElement w) || (w.isDisplayed() && w.isEnabled())));
    }

    static By by(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    String staffToken() throws Exception {
        return staffToken("staff-e2e", "Zhang Min", "accounts");
    }

    String staffToken(String subject, String name, String skill) throws Exception {
        return mint("{\"role\":\"staff\",\"subject\":\"" + subject + "\",\"name\":\"" + name
                + "\",\"skills\":[\"" + skill + "\"],\"languages\":[\"en\",\"zh\"]}");
    }

    String supervisorToken() throws Exception {
        return supervisorToken("sup-e2e", "Supervisor");
    }

    String supervisorToken(String subject, String name) throws Exception {
        return mint("{\"role\":\"supervisor\",\"subject\":\"" + subject + "\",\"name\":\"" + name + "\"}");
    }

    /**
     * A staff member with the livestream permission signs in to the console and goes live from the studio with a
     * new broadcast titled {@code title}; returns the broadcast's id (from the studio's share link).
     */
    String hostGoesLive(Chromium host, String subject, String name, String title) throws Exception {
        signInToConsole(host, mint("{\"role\":\"staff\",\"subject\":\"" + subject + "\",\"name\":\"" + name + "\","
                + "\"skills\":[\"loans\"],\"languages\":[\"en\"],\"permissions\":[\"livestream\"]}"));
        awaitElement(() -> host.driver().findElement(by("studio-title"))).sendKeys(title);
        host.driver().findElement(by("studio-create")).click();
        awaitElement(() -> host.driver().findElement(by("studio-golive"))).click();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> "live".equals(host.js("return window.LiveDeskDesk.studioState();")));
        String link = awaitElement(() -> host.driver().findElement(by("studio-link"))).getAttribute("href");
        return link.substring(link.lastIndexOf('/') + 1);
    }

    String mint(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/dev/tokens"))
                .header("X-Admin-Key", adminKey).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    String get(String path, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
