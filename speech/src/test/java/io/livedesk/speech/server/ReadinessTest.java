package io.livedesk.speech.server;

import static io.livedesk.testkit.audio.SyntheticAudio.voiced;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.StreamState;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.engine.SpeechModels;
import io.livedesk.speech.testing.Recorder;
import io.livedesk.speech.testing.SlowDecoders;
import io.livedesk.speech.testing.TestModels;
import io.livedesk.testkit.audio.SyntheticAudio;
import org.junit.jupiter.api.Test;

/** /readyz says not ready exactly when a new stream of the default language would be refused. */
class ReadinessTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private final HttpClient http = HttpClient.newHttpClient();
    private final SyntheticAudio audio = new SyntheticAudio(16000, 3);

    private HttpResponse<String> readyz(HealthServer health) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/readyz"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsAdmissionThroughASlowStreamAndBack() throws Exception {
        // Two workers at 80 % (capacity 1.6), a machine at RTF 2: one stream is admitted, a second is not.
        SlowDecoders slow = new SlowDecoders(SpeechModels.load(TestModels.modelsDir(), TestModels.english()), 2.0);
        try (LocalSpeechService service = new LocalSpeechService(slow, EngineSettings.defaults().withWorkers(2));
             HealthServer health = new HealthServer("127.0.0.1", 0, () -> Readiness.of(service, "en"), () -> "")) {
            assertEquals(200, readyz(health).statusCode());

            Recorder r = new Recorder();
            SpeechStream a = service.open(StreamSpec.captions("en", 16000, "a"), r);
            short[] pcm = audio.render(voiced(1100));
            a.accept(pcm, 0, pcm.length);
            await().atMost(WAIT).until(() -> readyz(health).statusCode() == 503);
            HttpResponse<String> busy = readyz(health);
            assertTrue(busy.body().contains("overloaded: load"), busy.body());
            assertThrows(SpeechUnavailableException.class,
                    () -> service.open(StreamSpec.captions("en", 16000, "b"), new Recorder()));

            a.finish();
            assertEquals(StreamState.ENDED, r.awaitStatus(WAIT).state());
            await().atMost(WAIT).until(() -> service.status().activeStreams() == 0);
            // Issue 13 said ready here while refusing every stream; now both say yes.
            HttpResponse<String> idle = readyz(health);
            assertEquals(200, idle.statusCode(), idle.body());
            service.open(StreamSpec.captions("en", 16000, "c"), new Recorder()).close();
        }
    }

    @Test
    void aDefaultLanguageWithoutAModelIsNotReady() throws Exception {
        try (LocalSpeechService service = LocalSpeechService.start(TestModels.modelsDir(), TestModels.english(),
                EngineSettings.defaults().withWorkers(1));
             HealthServer health = new HealthServer("127.0.0.1", 0, () -> Readiness.of(service, "zh"), () -> "")) {
            HttpResponse<String> r = readyz(health);
            assertEquals(503, r.statusCode());
            assertTrue(r.body().contains("'zh'"), r.body());
        }
    }
}
