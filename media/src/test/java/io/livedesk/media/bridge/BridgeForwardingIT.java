package io.livedesk.media.bridge;

import com.sun.net.httpserver.HttpServer;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.AnswerBuilder;
import io.livedesk.media.sdp.AnswerIntent;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.Origin;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SdpWriter;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.testkit.browser.Chromium;
import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.livedesk.media.testing.ChromiumPages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real headless Chromium browsers (two sessions, one page each) in one conference of a
 * {@link LocalBridge}: each page's single RTCPeerConnection offers camera + microphone, the bridge
 * answers ("browser offers, bridge answers"); B's answer carries A's sources so B receives A, then A
 * renegotiates and its answer carries B's sources so A receives B. Both pages must decode video and
 * receive audio through the bridge's port; then the conference expires and frees everything.
 */
class BridgeForwardingIT {
    private static final Logger log = LoggerFactory.getLogger(BridgeForwardingIT.class);
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(20);

    private static final String PAGE = """
            <!doctype html>
            <html><body>
            <script>
            window.pc = null;
            async function gathered(pc) {
              if (pc.iceGatheringState === 'complete') return;
              await new Promise(resolve => {
                pc.addEventListener('icegatheringstatechange',
                    () => { if (pc.iceGatheringState === 'complete') resolve(); });
                setTimeout(resolve, 5000);
              });
            }
            async function makeOffer() {
              const stream = await navigator.mediaDevices.getUserMedia(
                  {audio: true, video: {width: 640, height: 480}});
              const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require'});
              window.pc = pc;
              pc.ontrack = e => {
                const video = document.createElement(e.track.kind);
                video.autoplay = true; video.muted = true;
                video.srcObject = new MediaStream([e.track]);
                document.body.appendChild(video);
              };
              stream.getTracks().forEach(t => pc.addTrack(t, stream));
              await pc.setLocalDescription(await pc.createOffer());
              await gathered(pc);
              return pc.localDescription.sdp;
            }
            async function reoffer() {
              await window.pc.setLocalDescription(await window.pc.createOffer());
              await gathered(window.pc);
              return window.pc.localDescription.sdp;
            }
            async function mediaStats() {
              const pc = window.pc;
              const r = {framesDecoded: 0, audioPacketsReceived: 0, videoPacketsReceived: 0};
              const stats = await pc.getStats();
              let pairId = null;
              stats.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                  r.framesDecoded = s.framesDecoded || 0;
                  r.videoPacketsReceived = s.packetsReceived || 0;
                  r.nackCount = s.nackCount; r.pliCount = s.pliCount;
                  r.frameWidth = s.frameWidth;
                }
                if (s.type === 'inbound-rtp' && s.kind === 'audio') r.audioPacketsReceived = s.packetsReceived || 0;
                if (s.type === 'outbound-rtp' && s.kind === 'video') {
                  r.framesEncoded = s.framesEncoded; r.targetBitrate = s.targetBitrate;
                  r.pliReceived = s.pliCount;
                }
                if (s.type === 'transport') { pairId = s.selectedCandidatePairId; r.dtlsState = s.dtlsState; }
              });
              const pair = pairId && stats.get(pairId);
              if (pair) {
                r.pairNominated = !!pair.nominated;
                r.availableOutgoingBitrate = pair.availableOutgoingBitrate;
                const remote = stats.get(pair.remoteCandidateId);
                r.remoteAddress = remote.address;
                r.remotePort = remote.port;
              }
              r.connectionState = pc.connectionState;
              return r;
            }
            </script></body></html>
            """;

    @Test
    @Timeout(180)
    void twoBrowsersReceiveEachOtherThroughTheBridge() throws Exception {
        HttpServer http = servePage(PAGE);
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        Chromium chromiumA = null;
        Chromium chromiumB = null;
        MeetingId meeting = new MeetingId(UUID.randomUUID().toString());
        List<TransportLink> links = new ArrayList<>();
        long bridgeStart = System.nanoTime();
        // What the bridge sends to B loses every 20th video packet: B's NACKs must be answered from the cache.
        List<LossyLink> lossy = new ArrayList<>();
        LocalBridge bridge = new LocalBridge(BridgeConfig.defaults("127.0.0.1", freeUdpPort()).withId("it"),
                System::nanoTime, true, link -> {
                    if (link instanceof TransportLink t && t.transportId().startsWith("b@")) {
                        LossyLink l = new LossyLink(link, 20);
                        lossy.add(l);
                        return l;
                    }
                    return link;
                });
        log.info("bridge start (incl. SRTP warm-up) {} ms", (System.nanoTime() - bridgeStart) / 1_000_000);
        try {
            chromiumA = new Chromium();
            chromiumB = new Chromium();
            ChromeDriver pageA = chromiumA.driver();
            ChromeDriver pageB = chromiumB.driver();
            pageA.get(url);
            pageB.get(url);

            ConferenceReply created = bridge.apply(ConferenceRequest.creating(meeting).name("room@it")
                    .endpoint(create("a")).endpoint(create("b")).build());
            TransportDescription bridgeA = created.endpoints().get(0).transport();
            TransportDescription bridgeB = created.endpoints().get(1).transport();
            assertEquals(SetupRole.ACTPASS, bridgeA.fingerprints().get(0).setup());
            assertEquals(bridge.port(), bridgeA.candidates().get(0).port());
            assertEquals(2, created.bridgeSources().size());

            SdpParser parser = new SdpParser();
            SdpWriter writer = new SdpWriter();
            AnswerBuilder answers = new AnswerBuilder(BridgeCodecPolicy.forForwarding());

            // A offers; the bridge only receives from A for now.
            SessionDescription offerA = parser.parse(script(pageA, "makeOffer()"));
            bridge.apply(update(meeting, "a", offerA));
            SessionDescription answerA = answers.answer(offerA, Origin.of("1", 1), BridgeSdp.local(bridgeA), Map.of());
            assertEquals("ok", applyAnswer(pageA, writer.write(answerA)));

            // B offers; its answer carries A's audio and video on B's own sections.
            SessionDescription offerB = parser.parse(script(pageB, "makeOffer()"));
            bridge.apply(update(meeting, "b", offerB));
            SessionDescription answerB = answers.answer(offerB, Origin.of("2", 1), BridgeSdp.local(bridgeB),
                    intentsCarrying(offerB, offerA));
            long answeredB = System.nanoTime();
            assertEquals("ok", applyAnswer(pageB, writer.write(answerB)));

            // A renegotiates; now its answer carries B's sources.
            SessionDescription reofferA = parser.parse(script(pageA, "reoffer()"));
            SessionDescription reanswerA = answers.answer(reofferA, Origin.of("1", 2), BridgeSdp.local(bridgeA),
                    intentsCarrying(reofferA, offerB));
            long answeredA = System.nanoTime();
            assertEquals("ok", applyAnswer(pageA, writer.write(reanswerA)));

            ChromeDriver browserB = pageB;
            Map<String, Object> firstB = awaitMedia(() -> mediaStats(browserB), MEDIA_DEADLINE, "page B");
            log.info("B: answer -> first decoded frame of A and audio: {} ms; {}", (System.nanoTime() - answeredB) / 1_000_000, firstB);
            ChromeDriver browserA = pageA;
            Map<String, Object> firstA = awaitMedia(() -> mediaStats(browserA), MEDIA_DEADLINE, "page A");
            log.info("A: re-answer -> first decoded frame of B and audio: {} ms; {}", (System.nanoTime() - answeredA) / 1_000_000, firstA);

            // Let traffic build up until every counter the assertions below look at has moved.
            Conference conference = bridge.conference(meeting);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> List.of("a", "b").stream().map(id -> conference.endpoint(id).counters)
                            .allMatch(c -> c.rtpForwarded() > 100 && c.rembsToSender() > 0)
                            && conference.endpoint("b").counters.retransmitted() > 0
                            && bridge.conferenceStats(meeting).endpoints().stream()
                                    .allMatch(e -> e.packetsIn() > 100 && e.packetsOut() > 100));
            for (String id : List.of("a", "b")) {
                links.add(conference.endpoint(id).transport());
            }
            ConferenceStats stats = bridge.conferenceStats(meeting);
            log.info("bridge conference stats: {}", stats);
            log.info("bridge stats: {}", bridge.stats());
            for (ChromeDriver page : List.of(pageA, pageB)) {
                Map<String, Object> s = mediaStats(page);
                log.info("page {} once traffic built up: {}", page == pageA ? "A" : "B", s);
                assertEquals(Boolean.TRUE, s.get("pairNominated"), s.toString());
                assertEquals((long) bridge.port(), number(s, "remotePort"), "media goes through the bridge port: " + s);
                assertTrue(number(s, "framesDecoded") > 0, s.toString());
                assertTrue(number(s, "audioPacketsReceived") > 0, s.toString());
            }
            for (EndpointStats e : stats.endpoints()) {
                assertTrue(e.connected(), e.toString());
                assertTrue(e.packetsIn() > 100 && e.packetsOut() > 100, e.toString());
                assertEquals(0, e.dropped().getOrDefault(ForwardingDrop.UNKNOWN_SSRC.key(), 0L), e.toString());
            }
            for (String id : List.of("a", "b")) {
                EndpointCounters c = conference.endpoint(id).counters;
                log.info("{}: rtp forwarded to it {}, retransmitted to it {}, keyframe requests to it {}, NACKs to it {},"
                                + " REMBs to it {}, its last REMB {} bps", id, c.rtpForwarded(), c.retransmitted(),
                        c.keyframeRequestsToSender(), c.nacksToSender(), c.rembsToSender(),
                        conference.endpoint(id).rembBps());
                assertTrue(c.rtpForwarded() > 100, id + " received forwarded RTP");
                assertTrue(c.rembsToSender() > 0, id + " got REMB");
            }
            assertTrue(bridge.stats().stressLevel() > 0, bridge.stats().toString());
            Map<String, Object> b = mediaStats(pageB);
            EndpointCounters toB = conference.endpoint("b").counters;
            log.info("loss towards B: {} packets lost on purpose, B sent {} NACKs, bridge resent {} from its cache,"
                    + " asked A for {}", lossy.get(0).lost(), b.get("nackCount"), toB.retransmitted(),
                    conference.endpoint("a").counters.nacksToSender());
            assertTrue(lossy.get(0).lost() > 0);
            assertTrue(number(b, "nackCount") > 0, b.toString());
            assertTrue(toB.retransmitted() > 0, "NACKs answered from the cache");
        } finally {
            try {
                bridge.expire(meeting);
            } finally {
                quit(chromiumA);
                quit(chromiumB);
                http.stop(0);
            }
        }
        assertThrows(BridgeException.NotFound.class, () -> bridge.conferenceStats(meeting));
        assertEquals(0, bridge.stats().endpoints());
        assertEquals(0, bridge.stats().conferences());
        for (TransportLink link : links) {
            assertEquals(IceProcessingState.TERMINATED, link.iceState());
            assertNoThreadsLeft(link.transportId());
        }
        bridge.close();
        assertNoThreadsLeft("livedesk-bridge-it-");
    }

    private static EndpointRequest create(String id) {
        return EndpointRequest.creating(id).statsId(id).build();
    }

    private static ConferenceRequest update(MeetingId meeting, String id, SessionDescription offer) {
        return ConferenceRequest.modifying(meeting).endpoint(EndpointRequest.updating(id)
                .remoteTransport(BridgeSdp.transport(offer)).sources(BridgeSdp.sources(offer))).build();
    }

    /** Each audio/video section of {@code offer} answered sendrecv with the other browser's track of that kind. */
    private static Map<String, AnswerIntent> intentsCarrying(SessionDescription offer, SessionDescription other) {
        Map<String, AnswerIntent> intents = new java.util.HashMap<>();
        for (MediaSection m : offer.media()) {
            MediaType kind = m.media().equals("audio") ? MediaType.AUDIO : MediaType.VIDEO;
            intents.put(m.mid(), AnswerIntent.sendReceive(BridgeSdp.track(other, kind).orElseThrow()));
        }
        return intents;
    }

    private static String script(ChromeDriver page, String call) {
        String result = (String) page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + call + ".then(done, e => done('ERROR ' + e));");
        assertFalse(result.startsWith("ERROR"), result);
        return result;
    }

    private static String applyAnswer(ChromeDriver page, String sdp) {
        return (String) page.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "window.pc.setRemoteDescription({type: 'answer', sdp: arguments[0]})"
                + ".then(() => done('ok'), e => done('ERROR ' + e));", sdp);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mediaStats(ChromeDriver page) {
        return (Map<String, Object>) ((JavascriptExecutor) page).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "mediaStats().then(done, e => done({error: '' + e}));");
    }

    private static void quit(Chromium chromium) {
        if (chromium != null) {
            try {
                chromium.close();
            } catch (RuntimeException e) {
                log.warn("quitting chromium failed", e);
            }
        }
    }
}
