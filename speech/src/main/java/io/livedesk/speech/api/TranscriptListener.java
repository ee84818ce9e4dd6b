package io.livedesk.speech.api;

/**
 * Receives a stream's events, one at a time, on a speech thread (never the caller of {@code
 * accept}). It must return quickly and not block: hand the event to the caller's own executor or
 * event loop. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TranscriptListener {
    void onEvent(TranscriptEvent event);
}
