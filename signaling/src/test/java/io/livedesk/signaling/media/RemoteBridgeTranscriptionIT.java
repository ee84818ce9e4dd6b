package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.server.ServerSettings;
import io.livedesk.speech.server.SpeechServer;
import io.livedesk.testkit.audio.SyntheticAudio;
import io.livedesk.testkit.ws.WsClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transcription of a call whose media is on a remote bridge node, with every part real: a signaling node whose
 * only bridge is a {@link BridgeNode} in this JVM (Colibri2 over HTTP on loopback), two speech nodes
 * ({@link SpeechServer} over real libvosk with the test model, which says {@code speech} for each voiced stretch),
 * and a customer page without a browser ({@link SyntheticBrowser}: real ICE, DTLS and SRTP) sending Opus-encoded
 * synthetic voice. The bridge node decodes the customer's audio and streams it to a speech node itself; the staff
 * member gets captions and the transcript is stored. Then the speech node carrying the stream is stopped mid-call:
 * the bridge node's speech client moves the stream to the other one and captions go on.
 */
@Timeout(120)
class RemoteBridgeTranscriptionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FRAME = 960; // 20 ms at 48 kHz

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T resource) {
        open.add(resource);
        return resource;
    }

    @Test
    void theCustomersWordsOnARemoteBridgeReachTheStaffAsCaptionsAndSurviveASpeechNodeFailure() throws Exception {
        LocalSpeechService engine = engine();
        SpeechServer speechA = opened(SpeechServer.start(engine, ServerSettings.defaults("en").withPort(0)));
        SpeechServer speechB = opened(SpeechServer.start(engine, ServerSettings.defaults("en").withPort(0)));
        BridgeNode bridge = opened(BridgeNode.start(new BridgeNode.Settings("node-tap", "127.0.0.1", freeUdpPort(),
                "127.0.0.1", 0, 2, Duration.ofSeconds(60), false, "test")));
        String bridgeUrl = "http://127.0.0.1:" + bridge.httpAddress().getPort();

        TestNode node = opened(TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of(bridgeUrl),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.bridge.tap-poll-interval", "100ms",
                "livedesk.speech.engine", "remote",
                "livedesk.speech.remote.url", List.of("ws://127.0.0.1:" + speechA.port() + "/{language}",
                        "ws://127.0.0.1:" + speechB.port() + "/{language}"))));
        BridgeCall call = opened(BridgeCall.start(node, "tx1"));
        SyntheticBrowser customer = opened(new SyntheticBrowser("customer-page", 7));
        BrowserOffer page = BrowserOffer.of("txcust01", 7);
        String answer = call.offerAudio(customer.offer(page));
        assertEquals(1, bridge.bridge().stats().conferences(), "the call's media is on the bridge node");
        assertEquals(java.util.Optional.of("127.0.0.1:" + bridge.httpAddress().getPort()),
                node.node().bridgePool().ownerOf(new MeetingId(call.callId())));
        customer.connect(answer);

        // The customer speaks: voiced stretches with pauses, as Opus in real time.
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        open.add(sender::shutdownNow);
        OpusSpeaker speaker = new OpusSpeaker(customer, page.audioSsrc());
        sender.scheduleAtFixedRate(speaker::sendNext, 0, 20, TimeUnit.MILLISECONDS);

        WsClient staff = call.staff();
        JsonNode status = staff.await(m -> "call.caption.status".equals(m.path("type").asText())
                && "customer".equals(m.path("speaker").asText()), WAIT);
        assertEquals("active", status.path("status").asText(), status.toString());
        awaitFinalCaptions(staff, 1);
        await("the bridge node streams to one speech node").atMost(WAIT)
                .until(() -> speechA.stats().active() + speechB.stats().active() == 1);
        assertEquals(1, bridge.speechTaps().activeTaps());
        assertTrue(bridge.metrics().scrape().contains("livedesk_bridge_speech_taps{bridge=\"node-tap\"} 1.0"));

        // The speech node carrying the stream stops mid-call: the stream moves to the other, captions go on.
        SpeechServer carrying = speechA.stats().active() == 1 ? speechA : speechB;
        SpeechServer other = carrying == speechA ? speechB : speechA;
        int before = finalCaptions(staff).size();
        carrying.close();
        try {
            await("the stream moved to the other speech node").atMost(WAIT).until(() -> other.stats().active() == 1);
        } catch (ConditionTimeoutException e) {
            // What the desk was told says why (a tap that failed carries the speech client's reason).
            throw new AssertionError("caption statuses: " + staff.history().stream()
                    .filter(m -> "call.caption.status".equals(m.path("type").asText())).toList()
                    + "; active streams " + speechA.stats().active() + "/" + speechB.stats().active()
                    + "; bridge taps " + bridge.speechTaps().activeTaps(), e);
        }
        awaitFinalCaptions(staff, before + 2);

        String transcript = node.get("/api/calls/" + call.callId() + "/transcript?format=text",
                node.supervisorToken("sup-tx1", "Chen Jing")).body();
        assertTrue(transcript.contains("speech"), transcript);
        List<JsonNode> toCustomer = call.customer().history().stream()
                .filter(m -> m.path("type").asText().startsWith("call.caption")).toList();
        assertEquals(List.of(), toCustomer, "the customer never sees captions");

        // Hanging up ends the tap on the bridge node.
        sender.shutdownNow();
        call.hangUp();
        await("the tap ends with the call").atMost(WAIT).until(() -> bridge.speechTaps().activeTaps() == 0);
    }

    @Test
    void whenTheCallsBridgeGoesDownTheTapFollowsTheCallToTheOtherBridgeAndCaptionsGoOn() throws Exception {
        SpeechServer speech = opened(SpeechServer.start(engine(), ServerSettings.defaults("en").withPort(0)));
        BridgeNode first = opened(bridgeNode("node-first"));
        BridgeNode second = opened(bridgeNode("node-second"));
        TestNode node = opened(TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of(urlOf(first), urlOf(second)),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.bridge.down-after", 2,
                "livedesk.bridge.tap-poll-interval", "100ms",
                "livedesk.speech.engine", "remote",
                "livedesk.speech.remote.url", List.of("ws://127.0.0.1:" + speech.port() + "/{language}"))));
        BridgeCall call = opened(BridgeCall.start(node, "tx2"));
        SyntheticBrowser page = opened(new SyntheticBrowser("customer-page", 7));
        BrowserOffer offer = BrowserOffer.of("txcust02", 7);
        page.connect(call.offerAudio(page.offer(offer)));
        String holderId = node.node().bridgePool().ownerOf(new MeetingId(call.callId())).orElseThrow();
        BridgeNode holder = holderId.equals(idOf(first)) ? first : second;
        BridgeNode other = holder == first ? second : first;

        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        open.add(sender::shutdownNow);
        OpusSpeaker speaker = new OpusSpeaker(page, offer.audioSsrc());
        sender.scheduleAtFixedRate(speaker::sendNext, 0, 20, TimeUnit.MILLISECONDS);
        WsClient staff = call.staff();
        awaitFinalCaptions(staff, 1);
        assertEquals(1, holder.speechTaps().activeTaps(), "the bridge holding the call taps it");

        // The bridge dies; the page restarts ICE (a new page's transport, the same track) and lands on the other.
        holder.close();
        call.customer().await(m -> "call.renegotiate".equals(m.path("type").asText()), WAIT);
        SyntheticBrowser moved = opened(new SyntheticBrowser("customer-page-2", 8));
        String answer = call.offerAudio(moved.offer(offer.withUfrag("txcust03")));
        assertTrue(answer.contains(" " + other.bridge().port() + " typ host"), answer);
        moved.connect(answer);
        speaker.sendVia(moved);
        int before = finalCaptions(staff).size();
        await("the other bridge taps the call").atMost(WAIT).until(() -> other.speechTaps().activeTaps() == 1);
        awaitFinalCaptions(staff, before + 2);

        sender.shutdownNow();
        call.hangUp();
        await("the tap ends with the call").atMost(WAIT).until(() -> other.speechTaps().activeTaps() == 0);
    }

    /** Real libvosk with the test model, which says {@code speech} for each voiced stretch. */
    private LocalSpeechService engine() throws Exception {
        Path model = Path.of(Objects.requireNonNull(getClass().getResource("/vosk-energy-model")).toURI());
        return opened(LocalSpeechService.start(model.getParent(), Map.of("en", model.getFileName().toString()),
                EngineSettings.defaults().withWorkers(2)));
    }

    private static BridgeNode bridgeNode(String id) throws IOException {
        return BridgeNode.start(new BridgeNode.Settings(id, "127.0.0.1", freeUdpPort(), "127.0.0.1", 0, 2,
                Duration.ofSeconds(60), false, "test"));
    }

    private static String urlOf(BridgeNode bridge) {
        return "http://127.0.0.1:" + bridge.httpAddress().getPort();
    }

    private static String idOf(BridgeNode bridge) {
        return "127.0.0.1:" + bridge.httpAddress().getPort();
    }

    private static List<JsonNode> finalCaptions(WsClient staff) {
        staff.requestOk(Map.of("type", "ping"));
        return staff.history().stream().filter(m -> "call.caption".equals(m.path("type").asText())
                && m.path("final").asBoolean() && "customer".equals(m.path("speaker").asText())).toList();
    }

    private static void awaitFinalCaptions(WsClient staff, int atLeast) {
        await("final customer captions: " + atLeast).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> finalCaptions(staff).stream().filter(c -> c.path("text").asText().contains("speech"))
                        .count() >= atLeast);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Voice and pauses over and over, Opus-encoded 20 ms at a time, sent on the page's audio SSRC. */
    private static final class OpusSpeaker {
        private volatile SyntheticBrowser browser;
        private final long ssrc;
        private final OpusEncoder encoder;
        private final short[] pcm;
        private final byte[] out = new byte[1500];
        private final AtomicInteger frame = new AtomicInteger();

        OpusSpeaker(SyntheticBrowser browser, long ssrc) throws Exception {
            this.browser = browser;
            this.ssrc = ssrc;
            this.encoder = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            encoder.setBitrate(32000);
            this.pcm = new SyntheticAudio(48000, 13).render(voiced(900), silence(1100));
        }

        /** The same voice from another page from now on (a page that moved to another bridge). */
        void sendVia(SyntheticBrowser page) {
            this.browser = page;
        }

        void sendNext() {
            try {
                int n = frame.getAndIncrement();
                int frames = pcm.length / FRAME;
                int at = (n % frames) * FRAME;
                int len = encoder.encode(pcm, at, FRAME, out, 0, out.length);
                browser.sendRtp(ssrc, 111, n * FRAME, java.util.Arrays.copyOf(out, len));
            } catch (Exception e) {
                // The page is closing at the end of the test.
            }
        }
    }
}
