package io.livedesk.speech.api;

/** When a stream emits results. */
public enum ResultMode {
    /**
     * For people: a {@link TranscriptEvent.Partial} only when the partial text changed, a {@link
     * TranscriptEvent.Final} only when it has text.
     */
    CAPTIONS,
    /**
     * The vosk-server cadence: exactly one Partial or Final per {@code accept} call, and one Final
     * (possibly empty) for {@code finish}. A vosk-server client waits for one reply per audio frame.
     */
    PER_CHUNK
}
