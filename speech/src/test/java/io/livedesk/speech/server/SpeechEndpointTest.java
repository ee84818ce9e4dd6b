package io.livedesk.speech.server;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.testkit.audio.SyntheticAudio;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The vosk-server protocol against the real Tyrus server and real libvosk, with a plain JDK
 * WebSocket client. Every bad input is answered with {"error":…} and a close code, and the next
 * normal stream still works.
 */
class SpeechEndpointTest {
    private static final int MAX_FRAME = 16 * 1024;
    private static LocalSpeechService service;
    private static SpeechServer server;
    private static String base;
    private final SyntheticAudio audio = new SyntheticAudio(16000, 5);

    @BeforeAll
    static void start() throws Exception {
        service = LocalSpeechService.start(TestModels.modelsDir(), TestModels.english(),
                EngineSettings.defaults().withWorkers(2));
        server = SpeechServer.start(service, ServerSettings.defaults("en").withPort(0).withMaxFrameBytes(MAX_FRAME));
        base = "ws://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        service.close();
    }

    @AfterEach
    void noStreamLeftOpen() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> service.status().activeStreams() == 0 && server.stats().active() == 0);
    }

    /** Sends the script in 100 ms frames, one reply awaited per frame (as vosk-server clients do), then eof. */
    private List<JsonNode> transcribe(WsClient ws, short[] pcm) throws Exception {
        List<JsonNode> replies = new ArrayList<>();
        for (short[] chunk : audio.chunks(pcm, 100)) {
            ws.sendBinary(SyntheticAudio.toBytes(chunk));
            replies.add(ws.next());
        }
        ws.sendRaw("{\"eof\" : 1}");
        replies.add(ws.next());
        return replies;
    }

    private void assertNormalStreamWorks() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/en")) {
            ws.sendRaw("{\"config\":{\"sample_rate\":16000}}");
            List<JsonNode> replies = transcribe(ws, audio.render(voiced(800), silence(1000)));
            assertTrue(replies.stream().anyMatch(r -> "speech".equals(r.path("text").asText())), replies::toString);
            assertEquals(1000, ws.awaitClose(WsClient.DEFAULT_TIMEOUT));
        }
    }

    private static void assertError(WsClient ws, int code, String... words) throws Exception {
        int closed = ws.awaitClose(WsClient.DEFAULT_TIMEOUT);
        List<JsonNode> got = ws.drain();
        assertEquals(code, closed, () -> "close " + closed + ", messages " + got);
        JsonNode last = got.get(got.size() - 1);
        assertTrue(last.has("error"), () -> "last message " + last);
        for (String w : words) {
            assertTrue(last.get("error").asText().contains(w), () -> "error '" + last + "' lacks '" + w + "'");
        }
    }

    @Test
    void partialsThenAFinalThenTheLastResultAndANormalClose() throws Exception {
        short[] pcm = audio.render(silence(300), voiced(1000), silence(1200));
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendRaw("{\"config\" : {\"sample_rate\" : 16000.0, \"words\" : true, \"max_alternatives\" : 0}}");
            List<JsonNode> replies = transcribe(ws, pcm);

            // One reply per frame plus the last one for eof.
            assertEquals(audio.chunks(pcm, 100).size() + 1, replies.size());
            int firstPartial = -1;
            int result = -1;
            for (int i = 0; i < replies.size() - 1; i++) {
                JsonNode r = replies.get(i);
                assertTrue(r.has("partial") ^ r.has("text"), r::toString);
                if (firstPartial < 0 && "speech".equals(r.path("partial").asText())) {
                    firstPartial = i;
                }
                if (r.has("text")) {
                    assertEquals(-1, result, "one endpoint");
                    result = i;
                }
            }
            assertTrue(firstPartial >= 0 && firstPartial < result, replies::toString);
            JsonNode r = replies.get(result);
            assertEquals("speech", r.get("text").asText());
            JsonNode word = r.get("result").get(0);
            assertEquals("speech", word.get("word").asText());
            assertTrue(word.get("end").asDouble() > word.get("start").asDouble());
            assertTrue(word.has("conf"));
            // After eof: the final result (nothing left) and a normal close.
            JsonNode last = replies.get(replies.size() - 1);
            assertEquals("", last.get("text").asText());
            assertEquals(1000, ws.awaitClose(WsClient.DEFAULT_TIMEOUT));
        }
    }

    @Test
    void audioWithoutConfigUsesTheDefaultRateAndWordsCanBeTurnedOff() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/")) {
            List<JsonNode> replies = transcribe(ws, audio.render(voiced(800), silence(1000)));
            assertTrue(replies.stream().anyMatch(r -> r.path("result").isArray()), replies::toString);
        }
        try (WsClient ws = WsClient.connect(base + "/en")) {
            ws.sendRaw("{\"config\":{\"words\":false}}");
            List<JsonNode> replies = transcribe(ws, audio.render(voiced(800), silence(1000)));
            JsonNode text = replies.stream().filter(r -> "speech".equals(r.path("text").asText())).findFirst()
                    .orElseThrow();
            assertFalse(text.has("result"), text::toString);
        }
    }

    @Test
    void malformedConfigJson() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendRaw("{\"config\": {\"sample_rate\": 16000");
            assertError(ws, 1007, "malformed JSON");
        }
        assertNormalStreamWorks();
    }

    /** A first config the node refuses: the error names the words, the connection closes with the code. */
    private void assertConfigRefused(String config, int code, String... words) throws Exception {
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendRaw(config);
            assertError(ws, code, words);
        }
    }

    @Test
    void unsupportedSampleRates() throws Exception {
        assertConfigRefused("{\"config\":{\"sample_rate\":4000}}", 1008, "sample_rate", "8000", "48000");
        // In range, but below what this model can take (Vosk will not upsample for it).
        assertConfigRefused("{\"config\":{\"sample_rate\":8000}}", 1008, "8000", "16000");
        assertConfigRefused("{\"config\":{\"sample_rate\":\"fast\"}}", 1008, "sample_rate");
        assertNormalStreamWorks();
    }

    @Test
    void unknownConfigKeysAndValuesOutOfBounds() throws Exception {
        assertConfigRefused("{\"config\":{\"sample_rate\":16000,\"beam\":20}}", 1008, "unknown config key 'beam'");
        assertConfigRefused("{\"config\":{\"max_alternatives\":1000}}", 1008, "max_alternatives", "100");
        assertConfigRefused("{\"config\":{\"phrase_list\":\"one two\"}}", 1008, "phrase_list", "array");
        // A late config with a bad value is still an error, after audio too.
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendRaw("{\"config\":{\"sample_rate\":16000}}");
            ws.sendBinary(SyntheticAudio.toBytes(audio.render(silence(100))));
            ws.next();
            ws.sendRaw("{\"config\":{\"sample_rate\":16000,\"words\":\"maybe\"}}");
            assertError(ws, 1008, "words");
        }
        assertNormalStreamWorks();
    }

    @Test
    void aTextFrameWhereAudioIsExpected() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendRaw("{\"config\":{\"sample_rate\":16000}}");
            ws.sendBinary(SyntheticAudio.toBytes(audio.render(voiced(100))));
            ws.next();
            ws.sendRaw("{\"audio\":\"AAAA\"}");
            assertError(ws, 1003, "unexpected text message", "binary");
        }
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendBinary(SyntheticAudio.toBytes(audio.render(voiced(100))));
            ws.next();
            ws.sendRaw("AAAAAAAA");
            assertError(ws, 1007, "malformed JSON", "binary");
        }
        assertNormalStreamWorks();
    }

    @Test
    void oversizedAndOddFrames() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendBinary(new byte[MAX_FRAME + 2]);
            assertError(ws, 1009, String.valueOf(MAX_FRAME));
        }
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendBinary(new byte[MAX_FRAME * 3]);
            assertError(ws, 1009, String.valueOf(MAX_FRAME));
        }
        try (WsClient ws = WsClient.connect(base + "/")) {
            // Past Tyrus's own bound the container cuts the connection itself, without buffering the frame:
            // sometimes while the client is still writing it, and then no close frame reaches the client.
            boolean cutWhileWriting = false;
            try {
                ws.sendBinary(new byte[MAX_FRAME * 8]);
            } catch (IllegalStateException cut) {
                cutWhileWriting = true;
            }
            int closed = ws.awaitClose(WsClient.DEFAULT_TIMEOUT);
            boolean viaCloseFrame = closed == 1009 || closed == 1011;
            boolean finalCut = cutWhileWriting;
            assertTrue(viaCloseFrame || (finalCut && closed == 1006), () -> "closed with " + closed
                    + (finalCut ? " after the write was cut" : ""));
        }
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendBinary(new byte[101]);
            assertError(ws, 1003, "even");
        }
        assertNormalStreamWorks();
    }

    @Test
    void unknownLanguage() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/fr")) {
            assertError(ws, 1008, "'fr'", "en");
        }
        assertNormalStreamWorks();
    }

    @Test
    void overloadIsRefusedWithTryAgainLater() throws Exception {
        try (LocalSpeechService one = LocalSpeechService.start(TestModels.modelsDir(), TestModels.english(),
                EngineSettings.defaults().withWorkers(1).withMaxStreams(1));
             SpeechServer small = SpeechServer.start(one, ServerSettings.defaults("en").withPort(0))) {
            String url = "ws://127.0.0.1:" + small.port() + "/";
            try (WsClient first = WsClient.connect(url); WsClient second = WsClient.connect(url)) {
                first.sendRaw("{\"config\":{\"sample_rate\":16000}}");
                org.awaitility.Awaitility.await().until(() -> one.status().activeStreams() == 1);
                second.sendRaw("{\"config\":{\"sample_rate\":16000}}");
                assertError(second, 1013, "overloaded", "max-streams");
                // The first is unaffected.
                List<JsonNode> replies = transcribe(first, audio.render(voiced(800), silence(1000)));
                assertTrue(replies.stream().anyMatch(r -> "speech".equals(r.path("text").asText())));
            }
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (SpeechServer quick = SpeechServer.start(service,
                ServerSettings.defaults("en").withPort(0).withIdleTimeout(java.time.Duration.ofMillis(300)));
             WsClient ws = WsClient.connect("ws://127.0.0.1:" + quick.port() + "/")) {
            ws.sendRaw("{\"config\":{\"sample_rate\":16000}}");
            assertError(ws, 1008, "idle");
        }
        assertNormalStreamWorks();
    }

    @Test
    void eofWithoutAudioGivesAnEmptyResultAndANormalClose() throws Exception {
        try (WsClient ws = WsClient.connect(base + "/")) {
            ws.sendRaw("{\"eof\":1}");
            assertEquals("", ws.next().get("text").asText());
            assertEquals(1000, ws.awaitClose(WsClient.DEFAULT_TIMEOUT));
        }
        assertNormalStreamWorks();
    }
}
