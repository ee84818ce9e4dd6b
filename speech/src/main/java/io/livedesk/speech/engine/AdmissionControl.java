package io.livedesk.speech.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether one more stream fits, from the real-time factor (RTF: seconds of worker time per
 * second of audio) observed on this machine. A real-time stream needs RTF of one worker, so the pool
 * can carry streams until the sum of their RTFs reaches {@code workers x targetLoad}.
 *
 * <p>The rule:
 * <ol>
 *   <li>At {@code max-streams} open, refuse.</li>
 *   <li>With no stream open, admit. Estimates only change by measuring streams, so a node that
 *       refused while idle would keep a bad figure forever (issue 13: one stream slower than real
 *       time, then every stream refused until a restart). One stream alone cannot slow any other,
 *       and shedding covers it if it falls behind.</li>
 *   <li>Otherwise admit when the open streams' demand plus the new stream's estimate stays within
 *       capacity. The estimate for a language is the mean of its finished streams' moving average
 *       (weight {@value #ALPHA} for the newest) and the current RTF of each of its open streams that
 *       has been measured: fresh measurements move it while they are being taken, and a stale
 *       figure counts once however many fresh ones there are. With nothing measured it is 0 (the
 *       first streams are admitted, and shedding covers an estimate that was too low).</li>
 * </ol>
 *
 * <p>Measured as wall time around the recognizer, so a machine whose cores are busy with other work
 * shows a higher RTF and admits fewer streams. Not thread-safe: the service calls it under its lock.
 */
final class AdmissionControl {
    /** Weight of the newest finished stream in the per-language average. */
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
     * @param active open streams
     * @param demand sum of the open streams' real-time factors
     * @param next   expected real-time factor of the new stream
     */
    String refusal(int active, double demand, double next) {
        if (active >= maxStreams) {
            return "overloaded: " + active + " streams open (max-streams " + maxStreams + ")";
        }
        if (active > 0 && demand + next > capacity) {
            return String.format(Locale.ROOT, "overloaded: load %.2f + %.3f for the new stream is over capacity %.2f",
                    demand, next, capacity);
        }
        return null;
    }

    /**
     * Expected real-time factor of a new stream of this language (see the class comment).
     *
     * @param openRtfs current RTFs of this language's open, measured streams
     */
    double estimate(String language, List<Double> openRtfs) {
        Double finished = rtfByLanguage.get(language);
        double sum = finished == null ? 0 : finished;
        int n = finished == null ? 0 : 1;
        for (double rtf : openRtfs) {
            sum += rtf;
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Folds in the RTF measured on a finished stream. */
    void observe(String language, double rtf) {
        if (Double.isFinite(rtf) && rtf >= 0) {
            rtfByLanguage.merge(language, rtf, (old, now) -> old + ALPHA * (now - old));
        }
    }

    double capacity() {
        return capacity;
    }
}
