package io.livedesk.signaling.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Test
    void theFinalCaptionDelayIsAHistogramThatPrometheusCanTakeQuantilesOf() {
        Metrics metrics = new Metrics();
        metrics.finalCaptionDelay(Duration.ofMillis(700).toNanos());
        String text = metrics.scrape();
        assertTrue(text.contains("livedesk_transcription_final_delay_seconds_bucket{le=\"1.0\"} 1"), text);
        assertTrue(text.contains("livedesk_transcription_final_delay_seconds_bucket{le=\"0.5\"} 0"), text);
        assertTrue(text.contains("livedesk_transcription_final_delay_seconds_count 1"), text);
    }

    @Test
    void theProductRunsWithoutHdrHistogram() {
        // Only client-side percentiles need it; the product publishes buckets and the parent POM excludes it.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.HdrHistogram.Histogram"));
    }
}
