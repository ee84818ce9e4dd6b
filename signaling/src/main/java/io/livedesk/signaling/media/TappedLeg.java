package io.livedesk.signaling.media;

/**
 * One participant's audio being transcribed, wherever that happens: fed from this node's in-process bridge to a
 * recognizer stream of this node, or on a bridge node that streams it to speech nodes itself. Either way the
 * recognizer's events reach the listener given to {@link AudioTaps#open}, ending with one {@code Status}.
 */
public interface TappedLeg extends AutoCloseable {
    /** How far recognition is behind the audio, in milliseconds. */
    long lagMillis();

    /** The wall-clock time (epoch ms) of a time in the recognizer's events (a final's start, end and words). */
    long epochMillis(double eventSeconds);

    /** {@link System#nanoTime()} of the speaker's last voiced audio, or 0 when not known here. */
    long lastVoicedNanos();

    /** Ends the tap: the audio is finished, so the last words still arrive, then the terminal status. */
    @Override
    void close();
}
