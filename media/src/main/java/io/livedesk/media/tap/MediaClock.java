package io.livedesk.media.tap;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a recognizer's time (seconds of audio it was fed) into the wall-clock time the words were said.
 * The audio tap feeds continuous PCM but skips long silences (its media time jumps ahead there), so the
 * two clocks part at every skip: an anchor is kept at each, and at most {@link #MAX_ANCHORS} of them
 * (results are about recent audio). Fed on the tap's thread, read on the delivery thread. Shared by signaling's
 * in-process transcription and a bridge node's speech taps, which both feed a recognizer from a tap.
 */
public final class MediaClock {
    public static final int MAX_ANCHORS = 256;
    /** Expected drift between the tap's frame times and the samples, below which no anchor is added. */
    private static final long SLACK_MS = 40;

    private record Anchor(long samples, long mediaMs) {
    }

    private final Deque<Anchor> anchors = new ArrayDeque<>();
    private long samplesFed;
    private int rate = 1;
    /** Wall-clock time of media time 0: when the first frame arrived, less its media time. */
    private long epochOfMediaZero = Long.MIN_VALUE;

    public synchronized void fed(int samples, int sampleRate, long mediaTimeMs, long nowMs) {
        rate = sampleRate;
        if (epochOfMediaZero == Long.MIN_VALUE) {
            epochOfMediaZero = nowMs - mediaTimeMs;
        }
        long expected = mediaMsAt(samplesFed);
        if (anchors.isEmpty() || Math.abs(mediaTimeMs - expected) > SLACK_MS) {
            anchors.addLast(new Anchor(samplesFed, mediaTimeMs));
            if (anchors.size() > MAX_ANCHORS) {
                anchors.removeFirst();
            }
        }
        samplesFed += samples;
    }

    /** Wall-clock milliseconds of the moment {@code seconds} into the recognizer's audio. */
    public synchronized long epochMillis(double seconds) {
        long zero = epochOfMediaZero == Long.MIN_VALUE ? 0 : epochOfMediaZero;
        return zero + mediaMsAt(Math.round(seconds * rate));
    }

    private long mediaMsAt(long samples) {
        Anchor at = null;
        for (Anchor a : anchors) {
            if (a.samples() > samples) {
                break;
            }
            at = a;
        }
        if (at == null) {
            at = anchors.isEmpty() ? new Anchor(0, 0) : anchors.peekFirst();
        }
        return at.mediaMs() + (samples - at.samples()) * 1000 / rate;
    }
}
