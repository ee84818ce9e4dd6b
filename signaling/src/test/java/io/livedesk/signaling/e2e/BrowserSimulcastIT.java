package io.livedesk.signaling.e2e;

import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.media.BroadcastMeetings;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulcast through the bridge in headless Chromium: the host goes live from the studio and its camera goes out as
 * three layers by rid; two viewers watch. One shows the video in a 160 x 90 box (a phone's thumbnail): its page
 * tells the server ({@code broadcast.view}), and from {@code getStats()} it decodes frames at the height of the
 * host's lowest layer while the other, showing it large, decodes the highest. Then the small one is shown large:
 * it moves up to the highest layer, and both keep decoding throughout.
 */
class BrowserSimulcastIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserSimulcastIT.class);
    private static final Duration T = Duration.ofSeconds(40);

    /** The heights the host sends at, per rid, and its estimate of its path to the bridge. */
    private static final String SENT = """
            const done = arguments[arguments.length - 1];
            const pc = window.LiveDeskDesk.studioPeerConnection();
            if (!pc) { done({}); return; }
            pc.getStats().then(stats => {
              const out = {};
              stats.forEach(s => {
                if (s.type === 'outbound-rtp' && s.kind === 'video' && s.rid && (s.frameHeight || 0) > 0) {
                  out[s.rid] = s.frameHeight;
                }
                if (s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate) {
                  out.estimate = s.availableOutgoingBitrate;
                }
              });
              done(out);
            }, e => done({error: String(e)}));
            """;
    /** What a viewer decodes: the frame height and frames decoded so far. */
    private static final String RECEIVED = """
            const done = arguments[arguments.length - 1];
            const pc = window.LiveDeskLive.peerConnection();
            if (!pc) { done({height: 0, frames: 0}); return; }
            pc.getStats().then(stats => {
              let height = 0, frames = 0;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  height = Math.max(height, s.frameHeight || 0);
                  frames += s.framesDecoded || 0;
                }
              });
              done({height: height, frames: frames});
            }, e => done({error: String(e)}));
            """;
    /** Sizes the viewer's video box (CSS pixels); its ResizeObserver reports the new size to the server. */
    private static final String SHOW_AT = """
            const v = document.getElementById('stream');
            const player = v.parentElement;
            player.style.width = arguments[0] + 'px';
            player.style.height = arguments[1] + 'px';
            player.style.flex = 'none';
            """;

    private static LiveDeskNode node;
    private static CallPages pages;

    @BeforeAll
    static void start() throws Exception {
        node = CallPages.startBridgedNode(TestNode.freeUdpPort(), Map.of("livedesk.auth.jwt-secret",
                "simulcast-e2e-secret-0123456789abcdef0123"));
        pages = CallPages.of(node);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aViewerShowingTheVideoSmallGetsTheLowLayerAndMovesUpWhenShownLarge() throws Exception {
        try (Browsers browsers = Browsers.start(3)) {
            Chromium host = browsers.get(0);
            Chromium small = browsers.get(1);
            Chromium large = browsers.get(2);

            String broadcastId = pages.hostGoesLive(host, "host-sim", "Lin Wei", "Simulcast");

            // The host's three layers, told apart by height.
            await().atMost(T).until(() -> host.asyncJs(SENT).keySet().stream().filter(k -> !k.equals("estimate")).count() == 3);
            Map<String, Object> layers = host.asyncJs(SENT);
            log.info("host sends layers {}", layers);
            // The bridge's transport-wide feedback (and its REMB ceiling) let the host's estimate carry every layer.
            await().atMost(T).until(() -> number(host.asyncJs(SENT), "estimate") > 1_000_000);

            for (Chromium v : List.of(small, large)) {
                v.driver().get("http://127.0.0.1:" + node.port() + "/live/" + broadcastId + "?lang=en");
            }
            small.js(SHOW_AT, 160, 90);
            large.js(SHOW_AT, 1280, 720);

            // Each decodes the layer that suits its box: the small one the lowest, the large one the highest.
            await().atMost(T).until(() -> height(small) > 0 && height(small) == lowest(host)
                    && height(large) == highest(host));
            log.info("small box decodes {} px, large box {} px (host sends {})", height(small), height(large),
                    host.asyncJs(SENT));
            assertTrue(lowest(host) < highest(host), "the layers differ in height: " + host.asyncJs(SENT));
            keepsDecoding(small, large);

            // The small box grows: that viewer moves up to the highest layer; both keep decoding.
            small.js(SHOW_AT, 1280, 720);
            await().atMost(T).until(() -> height(small) == highest(host));
            log.info("after the small box grew it decodes {} px", height(small));
            keepsDecoding(small, large);

            // The viewers get the bridge's own transport-wide numbers, so Chromium answers with transport-cc feedback,
            // and the bridge's send-side estimate of each viewer's path exists (it replaced their REMB).
            MeetingId meeting = BroadcastMeetings.meetingOf(io.livedesk.signaling.live.BroadcastId.of(broadcastId));
            await().atMost(T).until(() -> viewers(meeting).size() == 2 && viewers(meeting).stream()
                    .allMatch(e -> e.transportFeedbacksIn() > 10 && e.downlinkEstimateBps() > 0));
            for (EndpointStats viewer : viewers(meeting)) {
                log.info("viewer {}: {} transport-cc feedbacks, send-side estimate {} bps, sent {} bps",
                        viewer.id(), viewer.transportFeedbacksIn(), viewer.downlinkEstimateBps(),
                        viewer.bitrateOutBps());
            }
        }
    }

    /** The bridge's stats of the broadcast's endpoints that receive only (the viewers). */
    private static List<EndpointStats> viewers(MeetingId meeting) throws Exception {
        return node.bridge().conferenceStats(meeting).endpoints().stream()
                .filter(e -> e.bitrateInBps() < 100_000 && e.bitrateOutBps() > 0).toList();
    }

    /** Both decode more frames over the next second (they do not freeze). */
    private static void keepsDecoding(Chromium... viewers) {
        long[] before = new long[viewers.length];
        for (int i = 0; i < viewers.length; i++) {
            before[i] = number(viewers[i].asyncJs(RECEIVED), "frames");
        }
        for (int i = 0; i < viewers.length; i++) {
            Chromium viewer = viewers[i];
            long start = before[i];
            await().atMost(Duration.ofSeconds(5)).until(() -> number(viewer.asyncJs(RECEIVED), "frames") > start + 10);
        }
    }

    private static long height(Chromium viewer) {
        return number(viewer.asyncJs(RECEIVED), "height");
    }

    private static long lowest(Chromium host) {
        return layerHeights(host).min().orElse(-1);
    }

    private static long highest(Chromium host) {
        return layerHeights(host).max().orElse(-1);
    }

    private static java.util.stream.LongStream layerHeights(Chromium host) {
        return host.asyncJs(SENT).entrySet().stream().filter(e -> !e.getKey().equals("estimate"))
                .map(Map.Entry::getValue).filter(Number.class::isInstance).mapToLong(v -> ((Number) v).longValue());
    }

    private static long number(Map<String, Object> stats, String key) {
        Object v = stats.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
