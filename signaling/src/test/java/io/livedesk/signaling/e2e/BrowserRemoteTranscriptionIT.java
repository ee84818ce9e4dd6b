package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.TranscriptListener;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.server.ServerSettings;
import io.livedesk.speech.server.SpeechServer;
import io.livedesk.testkit.bridge.BridgeNodeProcess;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote transcription of a browser call (issue 13): staff and customer in headless Chromium (the customer's
 * microphone a WAV of voiced stretches, the staff member's silent), the call's media on a LiveDesk bridge node in
 * its own JVM ({@link BridgeNodeProcess}), the only bridge of a signaling node with {@code speech.engine = remote}
 * and two speech nodes ({@link SpeechServer} on loopback in this JVM). The bridge process taps both participants
 * and streams their audio to the speech nodes itself; the staff desk shows the customer's captions. Then the speech
 * node carrying the customer's stream is stopped mid-call: the stream moves to the other node and captions go on.
 * After the hang-up the transcript has the customer's words and the bridge process has no tap left.
 *
 * <p>Both speech nodes serve one {@link LocalSpeechService}: what fails over is the node as the bridge sees it, its
 * WebSocket server (closing it drops the connections, as a dead node would); one engine loads the model once and
 * keeps one worker pool on a 2-core machine that also runs two Chromiums and the bridge JVM. Each node wraps it in
 * a {@link Streams} of its own, which tells which of its open streams has said words: the customer's (the staff
 * page is silent), since both participants' streams are open and {@code stats().active()} alone cannot tell them
 * apart.
 */
@Timeout(240)
class BrowserRemoteTranscriptionIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserRemoteTranscriptionIT.class);
    /** Generous: two Chromiums, a bridge JVM and this one share 2 cores with other builds. */
    private static final Duration WAIT = Duration.ofSeconds(40);

    @Test
    void aCallOnARemoteBridgeGetsCaptionsThatSurviveASpeechNodeFailure() throws Exception {
        Path model = SpokenCall.testModel();
        try (SpokenCall audio = SpokenCall.create();
             // Shedding has its own tests; here a machine busy with two Chromiums must not shed the call.
             LocalSpeechService engine = LocalSpeechService.start(model.getParent(),
                     Map.of("en", model.getFileName().toString()),
                     EngineSettings.defaults().withWorkers(2).withQueueLimit(Duration.ofSeconds(15)));
             Streams streamsA = new Streams(engine);
             Streams streamsB = new Streams(engine);
             SpeechServer speechA = SpeechServer.start(streamsA, ServerSettings.defaults("en").withPort(0));
             SpeechServer speechB = SpeechServer.start(streamsB, ServerSettings.defaults("en").withPort(0));
             BridgeNodeProcess bridge = BridgeNodeProcess.start("netty", "256m", List.of())) {
            LiveDeskNode node = CallPages.startBridgedNode(TestNode.freeUdpPort(), Map.of(
                    "livedesk.bridge.remote", List.of(bridge.colibriUrl()),
                    "livedesk.bridge.health-interval", "250ms",
                    "livedesk.bridge.tap-poll-interval", "100ms",
                    "livedesk.speech.engine", "remote",
                    "livedesk.speech.remote.url", List.of("ws://127.0.0.1:" + speechA.port() + "/{language}",
                            "ws://127.0.0.1:" + speechB.port() + "/{language}")));
            try (Browsers browsers = Browsers.start(audio.staffAndCustomerArguments())) {
                CallPages pages = CallPages.of(node);
                await("the bridge process is checked").atMost(WAIT).until(() -> node.bridgePool().members()
                        .stream().filter(m -> m.up() && m.stats() != null).count() == 1);
                Chromium staff = browsers.get(0);
                Chromium customer = browsers.get(1);
                String callId = pages.connectCall(staff, customer);
                long mediaAt = System.nanoTime();

                await("final customer captions on the desk").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> SpokenCall.finalCustomerCaptions(staff) >= 1);
                log.info("first final customer caption {} ms after media flowed", (System.nanoTime() - mediaAt) / 1_000_000);
                // The bridge process taps both legs and streams each to a speech node; the customer's has said words.
                await("both legs stream to the speech nodes").atMost(WAIT)
                        .until(() -> speechA.stats().active() + speechB.stats().active() == 2);
                assertEquals(2, bridgeTaps(bridge), "the bridge process taps both legs");
                await("the customer's stream is known").atMost(WAIT)
                        .until(() -> streamsA.voiced() + streamsB.voiced() == 1);

                // The speech node carrying the customer's stream stops: the stream moves to the other one.
                boolean onA = streamsA.voiced() == 1;
                SpeechServer carrying = onA ? speechA : speechB;
                SpeechServer other = onA ? speechB : speechA;
                Streams otherStreams = onA ? streamsB : streamsA;
                log.info("streams before the failure: carrying node {}, other node {}",
                        carrying.stats().active(), other.stats().active());
                long before = SpokenCall.finalCustomerCaptions(staff);
                long stoppedAt = System.nanoTime();
                carrying.close();
                try {
                    // Both legs are on the other node now (the staff's was there already or moved with the customer's).
                    await("the stream moved to the other speech node").atMost(WAIT)
                            .until(() -> other.stats().active() == 2);
                    await("the customer's stream says words on the other node").atMost(WAIT)
                            .until(() -> otherStreams.voiced() == 1);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("active streams " + speechA.stats().active() + "/" + speechB.stats().active()
                            + ", voiced " + streamsA.voiced() + "/" + streamsB.voiced() + ", bridge taps "
                            + bridgeTaps(bridge) + ", captions " + SpokenCall.customerCaptions(staff), e);
                }
                log.info("the customer's stream said words on the other node {} ms after the first stopped",
                        (System.nanoTime() - stoppedAt) / 1_000_000);
                await("more final customer captions after the failure").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> SpokenCall.finalCustomerCaptions(staff) >= before + 2);
                log.info("two more final captions {} ms after the speech node stopped; on the desk: {}",
                        (System.nanoTime() - stoppedAt) / 1_000_000, SpokenCall.customerCaptions(staff));

                CallPages.customerHangsUp(staff, customer);
                await("the bridge process's taps end with the call").atMost(WAIT).until(() -> bridgeTaps(bridge) == 0);

                JsonNode transcript = SpokenCall.transcript(pages, callId);
                long spoken = SpokenCall.customerLines(transcript).stream()
                        .filter(l -> l.path("text").asText().contains("speech")).count();
                assertTrue(spoken >= before + 2, "the customer's words, before and after the failure, "
                        + "are in the transcript: " + transcript);
            } finally {
                node.close();
            }
        }
    }

    /** {@code livedesk_bridge_speech_taps} on the bridge process's {@code /metrics}. */
    private static long bridgeTaps(BridgeNodeProcess bridge) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(bridge.colibriUrl() + "/metrics")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        List<String> taps = r.body().lines().filter(l -> l.startsWith("livedesk_bridge_speech_taps{")).toList();
        assertEquals(1, taps.size(), "one gauge of open taps: " + taps);
        String line = taps.get(0);
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    /**
     * A speech node's engine as the node's own: the same engine for both nodes, but each knows its open streams and
     * which of them have said words (only the customer speaks).
     */
    private static final class Streams implements SpeechService {
        private final SpeechService engine;
        private final Set<Tracked> open = ConcurrentHashMap.newKeySet();

        Streams(SpeechService engine) {
            this.engine = engine;
        }

        /** Open streams of this node that have had a final with words. */
        int voiced() {
            return (int) open.stream().filter(t -> t.voiced).count();
        }

        @Override
        public SpeechStream open(StreamSpec spec, TranscriptListener listener) throws SpeechUnavailableException {
            Tracked tracked = new Tracked();
            SpeechStream stream = engine.open(spec, event -> {
                if (event instanceof TranscriptEvent.Final f && f.text().contains("speech")) {
                    tracked.voiced = true;
                }
                listener.onEvent(event);
            });
            open.add(tracked);
            return new SpeechStream() {
                @Override
                public String id() {
                    return stream.id();
                }

                @Override
                public boolean accept(short[] pcm, int offset, int length) {
                    return stream.accept(pcm, offset, length);
                }

                @Override
                public boolean accept(byte[] pcm16le, int offset, int length) {
                    return stream.accept(pcm16le, offset, length);
                }

                @Override
                public void finish() {
                    stream.finish();
                }

                @Override
                public void reset() {
                    stream.reset();
                }

                @Override
                public long lagMillis() {
                    return stream.lagMillis();
                }

                @Override
                public void close() {
                    open.remove(tracked);
                    stream.close();
                }
            };
        }

        @Override
        public SpeechStatus status() {
            return engine.status();
        }

        @Override
        public java.util.Optional<String> languageOfModel(String name) {
            return engine.languageOfModel(name);
        }

        /** The engine is the test's to close. */
        @Override
        public void close() {
        }

        private static final class Tracked {
            private volatile boolean voiced;
        }
    }
}
