package io.livedesk.speech.engine;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether one more stream fits, from the real-time factor (RTF: seconds of worker time per
 * second of audio) observed on this machine. A real-time stream needs RTF of one worker, so the pool
 * can carry streams until the sum of their RTFs reaches {@code workers x targetLoad}. The service
 * estimates a new stream's RTF per language from streams seen before (0 until one has been
 * measured: the first streams are admitted, and shedding covers an estimate that was too low).
 *
 * <p>Measured as wall time around the recognizer, so a machine whose cores are busy with other work
 * shows a higher RTF and admits fewer streams. Not thread-safe: the service calls it under its lock.
 */
final class AdmissionControl {
    /** Weight of the newest observation in the per-language average. */
    private static final double ALPHA = 0.3;

    private final int maxStreams;
    private final double capacity;
    private final Map<String, Double> rtfByLanguage = new HashMap<>();

    AdmissionControl(int maxStreams, int workers, double targetLoad) {
        this.maxStreams = maxStreams;
        this.capacity = workers * targetLoad;
    }

    /**
     * Null to admit, or why not.
     *
     * @param demand sum of the open streams' real-time factors
     * @param next   expected real-time factor of the new stream
     */
    String refusal(int active, double demand, double next) {
        if (active >= maxStreams) {
            return "overloaded: " + active + " streams open (max-streams " + maxStreams + ")";
        }
        if (demand + next > capacity) {
            return String.format(Locale.ROOT, "overloaded: load %.2f + %.3f for the new stream is over capacity %.2f",
                    demand, next, capacity);
        }
        return null;
    }

    /** Whether a finished stream of this language has been measured. */
    boolean known(String language) {
        return rtfByLanguage.containsKey(language);
    }

    /** Average RTF of this language's finished streams; 0 when none was measured. */
    double estimate(String language) {
        return rtfByLanguage.getOrDefault(language, 0.0);
    }

    /** Folds in the RTF measured on a stream. */
    void observe(String language, double rtf) {
        if (Double.isFinite(rtf) && rtf >= 0) {
            rtfByLanguage.merge(language, rtf, (old, now) -> old + ALPHA * (now - old));
        }
    }

    double capacity() {
        return capacity;
    }
}
