package io.livedesk.speech.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The admission rule on its own: what it admits, and how its per-language estimate moves. */
class AdmissionControlTest {
    /** Two workers at 80 %: capacity 1.6, the node of issue 13. */
    private final AdmissionControl admission = new AdmissionControl(100, 2, 0.8);

    @Test
    void afterOneStreamSlowerThanRealTimeAnEmptyNodeStillAdmits() {
        admission.observe("en", 1.954);
        // Issue 13: "overloaded: load 0.00 + 1.954 for the new stream is over capacity 1.60", forever.
        assertNull(admission.refusal(0, 0, admission.estimate("en", List.of())));
    }

    @Test
    void withStreamsOpenTheEstimateStillRefusesWhatDoesNotFit() {
        admission.observe("en", 1.954);
        String refusal = admission.refusal(1, 0.5, admission.estimate("en", List.of()));
        assertNotNull(refusal);
        assertTrue(refusal.startsWith("overloaded: load 0.50 + 1.954"), refusal);
        assertNotNull(admission.refusal(100, 0, 0), "max-streams still holds");
    }

    @Test
    void theEstimateMovesWithOpenStreamsBeingMeasured() {
        admission.observe("en", 1.954);
        // One fresh stream at 0.05 halves the old figure's weight at once, without waiting for it to end.
        double withOne = admission.estimate("en", List.of(0.05));
        assertEquals((1.954 + 0.05) / 2, withOne, 1e-9);
        assertNull(admission.refusal(1, 0.05, withOne));
        double withThree = admission.estimate("en", List.of(0.05, 0.05, 0.05));
        assertTrue(withThree < withOne);
        // Before any stream finished, the open ones alone; with nothing measured, 0.
        assertEquals(0.2, admission.estimate("de", List.of(0.1, 0.3)), 1e-9);
        assertEquals(0, admission.estimate("de", List.of()));
    }

    @Test
    void finishedFastStreamsBringTheAverageBackDown() {
        admission.observe("en", 1.954);
        for (int i = 0; i < 5; i++) {
            admission.observe("en", 0.05);
        }
        assertTrue(admission.estimate("en", List.of()) < 0.5, () -> "estimate " + admission.estimate("en", List.of()));
    }
}
