package io.livedesk.speech.engine;

/**
 * One stream's recognizer. Not thread-safe: a stream's worker uses it, one call at a time. The
 * strings are Vosk's JSON ({@code {"partial":…}}, {@code {"text":…,"result":[…]}}). Kept as an
 * interface so tests can count native allocations and the benchmark can call Vosk directly.
 */
public interface Decoder extends AutoCloseable {

    /** Feeds samples; true when the recognizer reached an endpoint and {@link #result()} is ready. */
    boolean accept(short[] pcm, int length);

    String result();

    String partialResult();

    /** Flushes the utterance in progress (end of audio). */
    String finalResult();

    /** Frees the native recognizer; idempotent. */
    @Override
    void close();
}
