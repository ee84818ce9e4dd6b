package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.server.LiveDeskNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    private static LiveDeskNode node;
    private static CallPages pages;
    /** The customer's microphone speaks, the staff member's is silent. */
    private static SpokenCall audio;

    @BeforeAll
    static void startServer() throws Exception {
        audio = SpokenCall.create();
        Path model = SpokenCall.testModel();
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
        if (audio != null) {
            audio.close();
        }
    }

    @Test
    void theStaffDeskShowsTheCustomersWordsAsCaptionsAndTheTranscriptIsKept() throws Exception {
        String callId;
        Instant callStart = Instant.now();
        try (Browsers browsers = Browsers.start(audio.staffAndCustomerArguments())) {
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            callId = pages.connectCall(staff, customer);
            long mediaAt = System.nanoTime();

            // Captions attributed to the customer, with the words the model says for voiced audio.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> SpokenCall.finalCustomerCaptions(staff) >= 1);
            log.info("first final customer caption {} ms after media flowed",
                    Duration.ofNanos(System.nanoTime() - mediaAt).toMillis());
            // A few more utterances, for the delay figures in docs/benchmarks.md.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> SpokenCall.customerCaptions(staff).stream().filter(c -> c.path("final").asBoolean()).count() >= 3);
            String metrics = pages.get("/metrics", pages.supervisorToken());
            List<String> delay = metrics.lines().filter(l -> l.startsWith("livedesk_transcription_final_delay_seconds")).toList();
            log.info("end of voiced audio -> final caption sent: {}", delay);
            assertTrue(delay.stream().anyMatch(l -> l.startsWith("livedesk_transcription_final_delay_seconds_count")
                    && !l.endsWith(" 0.0")), "the delay of finals is measured: " + delay);
            List<JsonNode> shown = SpokenCall.customerCaptions(staff);
            log.info("captions on the desk: {}", shown);
            assertTrue(staff.driver().findElement(CallPages.by("desk-captions")).isDisplayed(), "the captions panel is shown");

            CallPages.customerHangsUp(staff, customer);
        }

        JsonNode transcript = SpokenCall.transcript(pages, callId);
        log.info("transcript: {}", transcript);
        List<JsonNode> customerLines = SpokenCall.customerLines(transcript);
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
}
