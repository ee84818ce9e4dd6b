package io.livedesk.speech.server;

import static io.livedesk.testkit.audio.SyntheticAudio.silence;
import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.testkit.audio.SyntheticAudio;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The speech node as SpeechMain builds it: command line, WebSocket, health and metrics. */
class SpeechNodeTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCommandLineBuildsANodeThatServesAndReportsItself() throws Exception {
        SpeechMain main = new SpeechMain();
        new CommandLine(main).parseArgs("--port", "0", "--http-port", "0", "--models",
                TestModels.modelsDir().toString(), "--model", "en=" + TestModels.FOLDER, "--workers", "1",
                "--queue-limit", "2s", "--idle-timeout", "PT30S");
        SpeechNode.Settings settings = main.settings();
        assertEquals(Map.of("en", TestModels.FOLDER), settings.models());
        assertEquals("en", settings.server().defaultLanguage());
        assertEquals(Duration.ofSeconds(2), settings.engine().queueLimit());
        assertEquals(Duration.ofSeconds(30), settings.server().idleTimeout());

        try (SpeechNode node = SpeechNode.start(settings)) {
            assertEquals(200, get(node.httpPort(), "/healthz").statusCode());
            HttpResponse<String> ready = get(node.httpPort(), "/readyz");
            assertEquals(200, ready.statusCode(), ready.body());

            SyntheticAudio audio = new SyntheticAudio(16000, 1);
            try (WsClient ws = WsClient.connect("ws://127.0.0.1:" + node.port() + "/en")) {
                ws.sendRaw("{\"config\":{\"sample_rate\":16000}}");
                boolean heard = false;
                for (short[] c : audio.chunks(audio.render(voiced(800), silence(1000)), 200)) {
                    ws.sendBinary(SyntheticAudio.toBytes(c));
                    JsonNode r = ws.next();
                    heard |= "speech".equals(r.path("text").asText());
                }
                assertTrue(heard);
                ws.sendRaw("{\"eof\":1}");
                ws.next();
                assertEquals(1000, ws.awaitClose(WsClient.DEFAULT_TIMEOUT));
            }
            String metrics = get(node.httpPort(), "/metrics").body();
            for (String name : new String[] {"livedesk_speech_ready 1.0", "livedesk_speech_admitting 1.0",
                    "livedesk_speech_streams_opened_total 1.0",
                    "livedesk_speech_streams_active", "livedesk_speech_lag_max_milliseconds",
                    "livedesk_speech_connections_opened_total 1.0", "livedesk_speech_streams_shed_total 0.0"}) {
                assertTrue(metrics.contains(name), () -> name + " missing from\n" + metrics);
            }
        }
    }

    @Test
    void withoutModelsTheNodeRunsDisabledAndIsNotReady() throws Exception {
        SpeechMain main = new SpeechMain();
        new CommandLine(main).parseArgs("--port", "0", "--http-port", "0");
        try (SpeechNode node = SpeechNode.start(main.settings())) {
            HttpResponse<String> ready = get(node.httpPort(), "/readyz");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("no speech models"), ready.body());
        }
    }

    @Test
    void aMissingModelFolderStopsTheStartWithOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = SpeechMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("--port", "0", "--http-port", "-1", "--models", TestModels.modelsDir().toString(),
                "--model", "zh=vosk-model-small-cn-0.22");
        assertEquals(2, code);
        assertTrue(err.toString().contains("vosk-model-small-cn-0.22") && err.toString().contains("'zh'"),
                err::toString);
        assertEquals(1, err.toString().strip().lines().count(), err::toString);
    }
}
