package io.livedesk.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.client.RemoteSettings;
import io.livedesk.speech.client.RemoteSpeechService;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.engine.SpeechModelException;
import io.livedesk.speech.testing.Recorder;
import io.livedesk.speech.testing.TestModels;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class SpeechConfigTest {

    @Test
    void readsAFullHoconBlock() {
        SpeechConfig c = SpeechConfig.fromHocon(ConfigFactory.parseString("""
                engine = local
                models-dir = "/opt/vosk"
                models { zh = "vosk-model-small-cn-0.22", en = "vosk-model-small-en-us-0.15" }
                workers = 3
                max-streams = 40
                queue-limit = 2s
                target-load = 0.6
                close-timeout = 1s
                """));
        assertEquals(SpeechConfig.Engine.LOCAL, c.engine());
        assertEquals(Path.of("/opt/vosk"), c.modelsDir());
        assertEquals(List.of("en", "zh"), List.copyOf(c.models().keySet()));
        assertEquals(3, c.local().workers());
        assertEquals(40, c.local().maxStreams());
        assertEquals(Duration.ofSeconds(2), c.local().queueLimit());
        assertEquals(0.6, c.local().targetLoad());
    }

    @Test
    void everyKeyHasADefault() {
        SpeechConfig c = SpeechConfig.fromHocon(ConfigFactory.empty());
        assertEquals(SpeechConfig.Engine.LOCAL, c.engine());
        assertTrue(c.models().isEmpty());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.local().workers());
    }

    @Test
    void readsTheRemoteBlock() {
        SpeechConfig c = SpeechConfig.fromHocon(ConfigFactory.parseString("""
                engine = remote
                remote {
                  url = "ws://speech.internal:2700/{language}"
                  urls { zh = "ws://vosk-cn:2700" }
                  reply-timeout = 3s
                  send-batch = 40ms
                }
                """));
        assertEquals(List.of(URI.create("ws://speech.internal:2700/en")), c.remote().urlsFor("en"));
        assertEquals(List.of(URI.create("ws://vosk-cn:2700")), c.remote().urlsFor("zh"));
        assertEquals(Duration.ofSeconds(3), c.remote().replyTimeout());
        assertEquals(Duration.ofMillis(40), c.remote().sendBatch());
        assertEquals(RemoteSettings.DEFAULT_HEALTH_INTERVAL, c.remote().healthInterval());
    }

    @Test
    void severalNodesPerLanguageAsListsOrCommaSeparated() {
        SpeechConfig c = SpeechConfig.fromHocon(ConfigFactory.parseString("""
                engine = remote
                remote {
                  url = "ws://speech-1:2700/{language}, ws://speech-2:2700/{language}"
                  urls { zh = ["ws://vosk-cn-1:2700", "ws://vosk-cn-2:2700"] }
                  health-interval = 2s
                }
                """));
        assertEquals(List.of(URI.create("ws://speech-1:2700/en"), URI.create("ws://speech-2:2700/en")),
                c.remote().urlsFor("en"));
        assertEquals(List.of(URI.create("ws://vosk-cn-1:2700"), URI.create("ws://vosk-cn-2:2700")),
                c.remote().urlsFor("zh"));
        assertEquals(Duration.ofSeconds(2), c.remote().healthInterval());
        assertThrows(ConfigException.class, () -> SpeechConfig.fromHocon(ConfigFactory.parseString("""
                engine = remote
                remote { url = ["ws://ok:2700", "http://not-a-websocket"] }
                """)));
    }

    @Test
    void nonsenseIsRefusedWithTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SpeechConfig.fromHocon(ConfigFactory.parseString("engine = cloud")));
        assertTrue(e.getMessage().contains("engine") && e.getMessage().contains("cloud"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> SpeechConfig.fromHocon(ConfigFactory.parseString("engine = remote, remote.url = \"http://x\"")));
        assertTrue(e.getMessage().contains("ws://"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> SpeechConfig.fromHocon(ConfigFactory.parseString("target-load = 3")));
        assertTrue(e.getMessage().contains("targetLoad"), e.getMessage());
    }

    @Test
    void theFactoryBuildsEachEngine() throws Exception {
        try (SpeechService off = SpeechServices.create(SpeechConfig.off())) {
            assertEquals(SpeechStatus.State.DISABLED, off.status().state());
            SpeechUnavailableException e = assertThrows(SpeechUnavailableException.class,
                    () -> off.open(StreamSpec.captions("en", 16000, "t"), new Recorder()));
            assertEquals(SpeechUnavailableException.Reason.DISABLED, e.reason());
        }
        try (SpeechService local = SpeechServices.create(SpeechConfig.fromHocon(ConfigFactory.parseMap(Map.of(
                "models-dir", TestModels.modelsDir().toString(), "models.en", TestModels.FOLDER))))) {
            assertTrue(local instanceof LocalSpeechService);
            assertEquals(List.of("en"), local.status().languages());

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            SpeechMetrics.bind(registry, local);
            local.open(StreamSpec.captions("en", 16000, "t"), new Recorder());
            String text = registry.scrape();
            assertTrue(text.contains("livedesk_speech_streams_active 1.0"), text);
            assertTrue(text.contains("livedesk_speech_streams_opened_total 1.0"), text);
        }
        try (SpeechService remote = SpeechServices.create(SpeechConfig.fromHocon(ConfigFactory.parseString(
                "engine = remote, remote.url = \"ws://127.0.0.1:1/{language}\"")))) {
            assertTrue(remote instanceof RemoteSpeechService);
            assertEquals(SpeechStatus.State.READY, remote.status().state());
        }
        SpeechModelException missing = assertThrows(SpeechModelException.class, () -> SpeechServices.create(
                SpeechConfig.local(TestModels.modelsDir(), Map.of("en", "nope"),
                        io.livedesk.speech.engine.EngineSettings.defaults())));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }
}
