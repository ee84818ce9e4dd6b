package io.livedesk.speech.server;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.engine.SpeechModels;
import io.livedesk.speech.protocol.VoskProtocol;
import io.livedesk.speech.testing.CountingDecoders;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.speech.testing.VoskServerReference;
import io.livedesk.testkit.audio.SyntheticAudio;
import io.livedesk.testkit.audio.SyntheticAudio.Segment;
import io.livedesk.testkit.ws.WsClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: vosk-server's own client scripts ({@code test.py}, {@code test_alternatives.py},
 * {@code test_words.py}) and its reset and late-config behaviour, against a node over a real
 * WebSocket with real libvosk. Each conversation's replies are compared, value for value, with what
 * vosk-server's recognizer loop gives for the same messages ({@link VoskServerReference}).
 */
class VoskServerParityTest {
    private static final String CONFIG_16K = "{ \"config\" : { \"sample_rate\" : 16000 } }";
    private static CountingDecoders decoders;
    private static LocalSpeechService service;
    private static SpeechServer server;
    private static VoskServerReference vosk;
    private static String base;
    private final SyntheticAudio audio = new SyntheticAudio(16000, 11);

    @BeforeAll
    static void start() throws Exception {
        decoders = new CountingDecoders(SpeechModels.load(TestModels.modelsDir(), TestModels.english()));
        service = new LocalSpeechService(decoders, EngineSettings.defaults().withWorkers(2));
        server = SpeechServer.start(service, ServerSettings.defaults("en").withPort(0));
        base = "ws://127.0.0.1:" + server.port();
        vosk = new VoskServerReference();
    }

    @AfterAll
    static void stop() {
        server.close();
        service.close();
        vosk.close();
    }

    @AfterEach
    void noStreamLeftOpen() {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> service.status().activeStreams() == 0 && server.stats().active() == 0);
    }

    /** 200 ms frames, as the scripts read them from a wave file. */
    private List<Object> frames(Segment... script) {
        List<Object> frames = new ArrayList<>();
        for (short[] chunk : audio.chunks(audio.render(script), 200)) {
            frames.add(SyntheticAudio.toBytes(chunk));
        }
        return frames;
    }

    private static List<Object> conversation(Object... parts) {
        List<Object> messages = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                messages.addAll(l);
            } else {
                messages.add(p);
            }
        }
        return messages;
    }

    private static boolean isConfig(Object message) {
        return message instanceof String s && s.contains("config");
    }

    /** As the scripts do: send a message, wait for its reply (config has none); eof ends with a normal close. */
    private static List<JsonNode> talk(String path, List<Object> messages) throws Exception {
        List<JsonNode> replies = new ArrayList<>();
        try (WsClient ws = WsClient.connect(base + path)) {
            for (Object m : messages) {
                send(ws, m);
                if (!isConfig(m)) {
                    replies.add(ws.next());
                }
            }
            assertEquals(1000, ws.awaitClose(WsClient.DEFAULT_TIMEOUT), () -> "replies " + replies);
        }
        return replies;
    }

    private static void send(WsClient ws, Object m) {
        if (m instanceof byte[] b) {
            ws.sendBinary(b);
        } else {
            ws.sendRaw((String) m);
        }
    }

    private static List<JsonNode> assertSameAsVoskServer(String path, List<Object> messages) throws Exception {
        List<JsonNode> expected = vosk.replies(messages);
        List<JsonNode> got = talk(path, messages);
        assertEquals(expected, got);
        return got;
    }

    private static List<JsonNode> results(List<JsonNode> replies) {
        return replies.stream().filter(r -> !r.has("partial")).toList();
    }

    @Test
    void testPyPlainRecognition() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/", conversation(CONFIG_16K,
                frames(silence(200), voiced(1000), silence(1200), voiced(600), silence(1000)), VoskProtocol.EOF));
        assertEquals(2, results(replies).stream().filter(r -> "speech".equals(r.path("text").asText())).count(),
                replies::toString);
    }

    @Test
    void testAlternativesPyGetsVoskAlternatives() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/", conversation(
                "{\"config\" : { \"max_alternatives\" : 20, \"sample_rate\" : 16000 } }",
                frames(silence(200), voiced(1000), silence(1200)), VoskProtocol.EOF));
        // Partials stay {"partial":…}; results are {"alternatives":[{"confidence","result","text"},…]}.
        assertTrue(replies.stream().anyMatch(r -> "speech".equals(r.path("partial").asText())), replies::toString);
        JsonNode result = results(replies).get(0);
        assertFalse(result.has("text"), result::toString);
        JsonNode best = result.get("alternatives").get(0);
        assertEquals("speech", best.get("text").asText());
        assertTrue(best.get("confidence").isNumber());
        assertEquals("speech", best.get("result").get(0).get("word").asText());
        assertEquals(20, decoders.lastOptions.maxAlternatives());
        // eof with nothing left: Vosk's empty alternative.
        assertEquals("", replies.get(replies.size() - 1).get("alternatives").get(0).get("text").asText());
    }

    @Test
    void testWordsPyPhraseListBecomesTheRecognizersGrammar() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/", conversation("""
                {"config" :
                    { "phrase_list" : ["zero one two three four five", "six seven eight nine oh"],
                      "sample_rate" : 16000,
                      "words" : 0}}""",
                frames(voiced(1000), silence(1200)), VoskProtocol.EOF));
        assertEquals(List.of("zero one two three four five", "six seven eight nine oh"),
                decoders.lastOptions.phraseList());
        // The synthetic model has no runtime graph: libvosk warns and keeps its own vocabulary, as it
        // would under vosk-server; words:0 leaves out the word list.
        JsonNode result = results(replies).get(0);
        assertEquals("speech", result.get("text").asText());
        assertFalse(result.has("result"), result::toString);
    }

    @Test
    void resetAnswersTheUtteranceSoFarAndTheStreamGoesOn() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/en", conversation(CONFIG_16K,
                frames(silence(200), voiced(600)), VoskProtocol.RESET,
                frames(voiced(400), silence(1200)), VoskProtocol.RESET, VoskProtocol.RESET,
                frames(voiced(800), silence(1000)), VoskProtocol.EOF));
        // The reply to the first reset is the final result of the voice so far.
        assertEquals("speech", replies.get(4).get("text").asText(), replies::toString);
    }

    @Test
    void resetBeforeAnyAudioIsAnEmptyResult() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/", conversation(VoskProtocol.RESET,
                frames(voiced(600), silence(1000)), VoskProtocol.EOF));
        assertEquals("", replies.get(0).get("text").asText());
    }

    @Test
    void everyConfigBeforeTheFirstAudioCounts() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/", conversation(CONFIG_16K,
                "{\"config\":{\"words\":false}}", "{\"config\":{\"max_alternatives\":2}}",
                frames(voiced(1000), silence(1200)), VoskProtocol.EOF));
        JsonNode best = results(replies).get(0).get("alternatives").get(0);
        assertEquals("speech", best.get("text").asText());
        assertFalse(best.has("result"), best::toString);
    }

    @Test
    void aLateConfigWaitsForTheNextRecognizerWhichOnlyAModelChangeMakes() throws Exception {
        List<JsonNode> replies = assertSameAsVoskServer("/", conversation(CONFIG_16K,
                frames(voiced(400)),
                // Stored: the recognizer in use keeps plain results with words.
                "{\"config\":{\"max_alternatives\":3,\"words\":false,\"sample_rate\":16000}}",
                frames(voiced(400), silence(1200), voiced(400)),
                // A new recognizer with everything stored; the utterance in progress is dropped unanswered.
                "{\"config\":{\"model\":\"" + TestModels.FOLDER + "\"}}",
                frames(silence(1200), voiced(800), silence(1200)), VoskProtocol.EOF));
        List<JsonNode> results = results(replies);
        assertEquals("speech", results.get(0).get("text").asText(), replies::toString);
        assertTrue(results.get(0).has("result"), replies::toString);
        JsonNode afterModel = results.get(1).get("alternatives").get(0);
        assertEquals("speech", afterModel.get("text").asText(), replies::toString);
        assertFalse(afterModel.has("result"), replies::toString);
    }

    @Test
    void aModelChangeKeepsRepliesInOrderWhenTheClientDoesNotWait() throws Exception {
        List<Object> messages = conversation(CONFIG_16K, frames(voiced(600), silence(1000), voiced(600)),
                "{\"config\":{\"model\":\"en\",\"max_alternatives\":1}}",
                frames(silence(400), voiced(600), silence(1000)), VoskProtocol.EOF);
        List<JsonNode> expected = vosk.replies(messages);
        try (WsClient ws = WsClient.connect(base + "/")) {
            for (Object m : messages) {
                send(ws, m);
            }
            List<JsonNode> got = ws.awaitMessages(expected.size(), WsClient.DEFAULT_TIMEOUT);
            assertEquals(expected, got);
            assertEquals(1000, ws.awaitClose(WsClient.DEFAULT_TIMEOUT));
        }
    }

    @Test
    void modelNamesOnlyAModelThisNodeHas() throws Exception {
        String folder = TestModels.modelsDir().resolve(TestModels.FOLDER).toAbsolutePath().normalize().toString();
        for (String name : List.of("en", TestModels.FOLDER, folder)) {
            List<JsonNode> replies = talk("/", conversation("{\"config\":{\"model\":\"" + name + "\"}}",
                    frames(voiced(800), silence(1200)), VoskProtocol.EOF));
            assertTrue(replies.stream().anyMatch(r -> "speech".equals(r.path("text").asText())), replies::toString);
        }
        for (String name : List.of("/srv/vosk/" + "x".repeat(300), "../" + TestModels.FOLDER, "fr")) {
            try (WsClient ws = WsClient.connect(base + "/")) {
                ws.sendRaw("{\"config\":{\"model\":\"" + name + "\"}}");
                assertEquals(1008, ws.awaitClose(WsClient.DEFAULT_TIMEOUT));
                String error = ws.drain().get(0).get("error").asText();
                assertTrue(error.startsWith("unknown model"), error);
                assertTrue(error.length() < 200, () -> "echoes the client's text: " + error);
            }
        }
    }
}
