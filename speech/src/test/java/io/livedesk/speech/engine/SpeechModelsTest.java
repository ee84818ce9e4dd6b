package io.livedesk.speech.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livedesk.speech.api.SpeechStatus;
import io.livedesk.speech.api.SpeechUnavailableException;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.testing.Recorder;
import io.livedesk.speech.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechModelsTest {

    @Test
    void loadsAModelAndReadsItsSampleRate() {
        SpeechModels models = SpeechModels.load(TestModels.modelsDir(), TestModels.english());
        assertEquals(List.of("en"), models.languages());
        assertEquals(16000, models.minSampleRate("en"));
        assertEquals(TestModels.modelsDir().resolve(TestModels.FOLDER), models.folder("en"));
        assertEquals(1, models.openModels());
        models.close();
        assertEquals(0, models.openModels());
        models.close();
        assertEquals(0, models.openModels(), "closing twice frees nothing twice");
    }

    @Test
    void aMissingFolderStopsTheStartAndNamesIt() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("en", TestModels.FOLDER);
        config.put("zh", "vosk-model-small-cn-0.22");
        SpeechModelException e = assertThrows(SpeechModelException.class,
                () -> SpeechModels.load(TestModels.modelsDir(), config));
        assertTrue(e.getMessage().contains("'zh'"), e.getMessage());
        assertTrue(e.getMessage().contains(TestModels.modelsDir().resolve("vosk-model-small-cn-0.22").toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aFolderThatIsNotAModelIsRefusedBeforeLibvoskSeesIt(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("empty-model/conf"));
        SpeechModelException e = assertThrows(SpeechModelException.class,
                () -> SpeechModels.load(dir, Map.of("en", "empty-model")));
        assertTrue(e.getMessage().contains(dir.resolve("empty-model").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("am/final.mdl"), e.getMessage());
    }

    @Test
    void aCorruptModelIsReportedWithItsFolder(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("broken");
        Files.createDirectories(model.resolve("am"));
        Files.writeString(model.resolve("am/final.mdl"), "not a kaldi model");
        SpeechModelException e = assertThrows(SpeechModelException.class,
                () -> SpeechModels.load(dir, Map.of("en", "broken")));
        assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("libvosk could not load"), e.getMessage());
    }

    @Test
    void noModelsMeansSpeechIsDisabledAndSaysSo() {
        try (LocalSpeechService service = LocalSpeechService.start(TestModels.modelsDir(), Map.of(),
                EngineSettings.defaults())) {
            SpeechStatus status = service.status();
            assertEquals(SpeechStatus.State.DISABLED, status.state());
            assertTrue(status.detail().contains("no speech models"), status.detail());
            SpeechUnavailableException e = assertThrows(SpeechUnavailableException.class,
                    () -> service.open(StreamSpec.captions("en", 16000, "t"), new Recorder()));
            assertEquals(SpeechUnavailableException.Reason.DISABLED, e.reason());
        }
    }
}
