package io.livedesk.speech.api;

/**
 * One speaker's audio in, transcript events out. Audio is mono PCM16 at the spec's sample rate.
 *
 * <p>{@code accept} copies the samples and returns at once; the caller may reuse its buffer. Every
 * stream ends with exactly one terminal {@link TranscriptEvent.Status} ({@code ENDED} after {@link
 * #finish()}, or {@code SHED} / {@code FAILED}) unless the caller closes it first. After the end,
 * audio is dropped and {@code accept} returns false, so a producer can stop feeding.
 */
public interface SpeechStream extends AutoCloseable {

    /** Short id for logs and metrics (not customer data). */
    String id();

    /**
     * Queues {@code length} samples from {@code pcm[offset]}.
     *
     * @return false when the stream no longer takes audio (finished, shed, failed or closed)
     */
    boolean accept(short[] pcm, int offset, int length);

    /** Queues PCM16 little-endian bytes (the vosk-server wire format); {@code length} must be even. */
    boolean accept(byte[] pcm16le, int offset, int length);

    /** End of audio: the last result is flushed as a final, then {@code Status(ENDED)}. */
    void finish();

    /**
     * Ends the utterance in progress as vosk-server's {@code {"reset":1}} does: its final result
     * comes next (in {@link ResultMode#PER_CHUNK} always, empty or not) and the stream goes on with
     * the next audio as a new utterance. Only the in-process engine can; a remote stream cannot
     * keep vosk-server's one-reply-per-message count through it.
     *
     * @throws UnsupportedOperationException by streams that cannot
     */
    default void reset() {
        throw new UnsupportedOperationException("this speech stream cannot reset");
    }

    /** Audio accepted but not yet recognised, in milliseconds: how far this stream is behind. */
    long lagMillis();

    /** Stops at once and frees the recognizer; no further events (one already running may finish). */
    @Override
    void close();
}
