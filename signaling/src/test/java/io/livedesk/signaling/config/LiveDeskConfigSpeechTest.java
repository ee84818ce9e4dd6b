package io.livedesk.signaling.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveDeskConfigSpeechTest {

    @Test
    void defaults() {
        LiveDeskConfig.Speech s = LiveDeskConfig.withOverrides(Map.of()).speech();
        assertEquals(List.of("password", "验证码", "transfer all"), s.alerts());
        assertEquals(Duration.ofDays(30), s.transcriptRetention());
        assertEquals(5000, s.transcriptMaxLines());
        assertEquals(10_000, s.transcriptMemoryCalls());
    }

    @Test
    void alertsComeAsAListOrAsACommaSeparatedStringAsFromTheEnvironment() {
        assertEquals(List.of("pin", "one-time code"), LiveDeskConfig.withOverrides(Map.of(
                "livedesk.speech.alerts", List.of("pin", "one-time code"))).speech().alerts());
        assertEquals(List.of("pin", "one-time code", "验证码"), LiveDeskConfig.withOverrides(Map.of(
                "livedesk.speech.alerts", "pin, one-time code,验证码")).speech().alerts());
        assertEquals(List.of(), LiveDeskConfig.withOverrides(Map.of("livedesk.speech.alerts", "")).speech().alerts(),
                "an empty variable turns alerts off");
    }

    @Test
    void retentionAndLimitsAreChecked() {
        var zero = assertThrows(IllegalArgumentException.class, () -> LiveDeskConfig.withOverrides(Map.of(
                "livedesk.speech.transcript-retention", "0s")));
        assertTrue(zero.getMessage().contains("transcript-retention"), zero.getMessage());
        var lines = assertThrows(IllegalArgumentException.class, () -> LiveDeskConfig.withOverrides(Map.of(
                "livedesk.speech.transcript-max-lines", 0)));
        assertTrue(lines.getMessage().contains("transcript-max-lines"), lines.getMessage());
        assertEquals(Duration.ofHours(12), LiveDeskConfig.withOverrides(Map.of(
                "livedesk.speech.transcript-retention", "12h")).speech().transcriptRetention());
    }
}
