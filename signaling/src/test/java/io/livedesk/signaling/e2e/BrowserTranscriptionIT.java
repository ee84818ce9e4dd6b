package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.audio.SyntheticAudio;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live transcription end to end: the customer's microphone is an audio file (voiced stretches and
 * silence), the call goes through the bridge, the bridge's audio tap decodes the customer's Opus, real
 * libvosk with the synthetic energy model (test resources; it says {@code speech} for each voiced
 * stretch) recognises it, and the staff desk shows captions attributed to the customer within seconds.
 * After the hang-up the transcript is read back through the REST API.
 */
class BrowserTranscriptionIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserTranscriptionIT.class);
    private static final String CAPTIONS = "return window.LiveDeskDesk && window.LiveDeskDesk.captions ? "
            + "JSON.stringify(window.LiveDeskDesk.captions()) : '[]';";

    private static LiveDeskNode node;
    private static CallPages pages;
    private static Path audioDir;
    private static Path speechWav;
    /** The staff member's microphone: silence, so only the customer speaks. */
    private static Path silentWav;

    @BeforeAll
    static void startServer() throws Exception {
        audioDir = Files.createTempDirectory("ld-speech-audio-");
        speechWav = writeSpeechWav(audioDir.resolve("customer-48k.wav"));
        silentWav = writeWav(audioDir.resolve("staff-silent-48k.wav"), new short[48_000 * 3]);
        Path model = Path.of(Objects.requireNonNull(BrowserTranscriptionIT.class.getResource("/vosk-energy-model")).toURI());
        node = CallPages.startBridgedNode(io.livedesk.signaling.testing.TestNode.freeUdpPort(), Map.of(
                "livedesk.speech.engine", "local",
                "livedesk.speech.models-dir", model.getParent().toString(),
                "livedesk.speech.models.en", model.getFileName().toString(),
                // Shedding has its own tests; here a CI machine busy with two Chromiums must not shed the call.
                "livedesk.speech.queue-limit", "15s"));
        assertTrue(node.speech().status().ready(), "speech is ready: " + node.speech().status());
        pages = CallPages.of(node);
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (node != null) {
            node.close();
        }
        if (audioDir != null) {
            Files.deleteIfExists(speechWav);
            Files.deleteIfExists(silentWav);
            Files.deleteIfExists(audioDir);
        }
    }

    @Test
    void theStaffDeskShowsTheCustomersWordsAsCaptionsAndTheTranscriptIsKept() throws Exception {
        String callId;
        Instant callStart = Instant.now();
        try (Browsers browsers = Browsers.start(List.of(List.of("--use-file-for-fake-audio-capture=" + silentWav),
                List.of("--use-file-for-fake-audio-capture=" + speechWav)))) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            pages.staffGoesAvailable(staff);
            pages.customerAsksForCall(customer, "Li Wei");
            pages.staffAccepts(staff, customer, "Li Wei");
            callId = latestCall().path("callId").asText();
            CallPages.awaitMediaBothWays(staff, customer);
            long mediaAt = System.nanoTime();

            // Captions attributed to the customer, with the words the model says for voiced audio.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> customerCaptions(staff).stream().anyMatch(c -> c.path("final").asBoolean()
                            && c.path("text").asText().contains("speech")));
            log.info("first final customer caption {} ms after media flowed",
                    Duration.ofNanos(System.nanoTime() - mediaAt).toMillis());
            // A few more utterances, for the delay figures in docs/benchmarks.md.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> customerCaptions(staff).stream().filter(c -> c.path("final").asBoolean()).count() >= 3);
            String metrics = pages.get("/metrics", pages.supervisorToken());
            List<String> delay = metrics.lines().filter(l -> l.startsWith("livedesk_transcription_final_delay_seconds")).toList();
            log.info("end of voiced audio -> final caption sent: {}", delay);
            assertTrue(delay.stream().anyMatch(l -> l.startsWith("livedesk_transcription_final_delay_seconds_count")
                    && !l.endsWith(" 0.0")), "the delay of finals is measured: " + delay);
            List<JsonNode> shown = customerCaptions(staff);
            log.info("captions on the desk: {}", shown);
            assertTrue(staff.driver().findElement(CallPages.by("desk-captions")).isDisplayed(), "the captions panel is shown");

            CallPages.customerHangsUp(staff, customer);
        }

        JsonNode transcript = new ObjectMapper().readTree(pages.get("/api/calls/" + callId + "/transcript",
                pages.supervisorToken()));
        log.info("transcript: {}", transcript);
        List<JsonNode> customerLines = new ArrayList<>();
        transcript.path("lines").forEach(l -> {
            if ("customer".equals(l.path("speaker").asText())) {
                customerLines.add(l);
            }
        });
        assertFalse(customerLines.isEmpty(), "the customer's words are in the transcript: " + transcript);
        JsonNode first = customerLines.get(0);
        assertTrue(first.path("text").asText().contains("speech"), first.toString());
        Instant said = Instant.parse(first.path("startedAt").asText());
        assertTrue(!said.isBefore(callStart.minusSeconds(5)) && !said.isAfter(Instant.now()),
                "timestamped within the call: " + said + " (call from " + callStart + ")");
        assertTrue(first.path("words").size() > 0, "with word timings: " + first);
        String text = pages.get("/api/calls/" + callId + "/transcript?format=text", pages.supervisorToken());
        assertTrue(text.contains("Customer: speech"), text);
    }

    private static List<JsonNode> customerCaptions(Chromium staff) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(String.valueOf(staff.js(CAPTIONS))).forEach(c -> {
            if ("customer".equals(c.path("speaker").asText())) {
                out.add(c);
            }
        });
        return out;
    }

    private static JsonNode latestCall() throws Exception {
        return new ObjectMapper().readTree(pages.get("/api/calls?limit=1", pages.supervisorToken())).path("calls").path(0);
    }

    /**
     * A 48 kHz mono WAV (what Chromium's fake capture plays, in a loop): voiced stretches between
     * silences, as a speaker pauses between sentences.
     */
    static Path writeSpeechWav(Path file) throws IOException {
        SyntheticAudio audio = new SyntheticAudio(48_000, 7);
        List<SyntheticAudio.Segment> script = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            script.add(SyntheticAudio.voiced(1_400));
            script.add(SyntheticAudio.silence(1_600));
        }
        return writeWav(file, audio.render(script));
    }

    /** A 48 kHz mono PCM16 WAV file. */
    static Path writeWav(Path file, short[] pcm) throws IOException {
        ByteBuffer wav = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + pcm.length * 2).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(48_000)
                .putInt(48_000 * 2).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(pcm.length * 2);
        for (short s : pcm) {
            wav.putShort(s);
        }
        return Files.write(file, wav.array());
    }
}
