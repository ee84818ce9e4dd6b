package io.livedesk.signaling.transcript;

import java.util.Locale;

/** The state of a speaker's transcription, as {@code call.caption.status} tells the staff side. */
public enum CaptionStatus {
    /** Captions are flowing. */
    ACTIVE,
    /** Captions are flowing but behind the speech. */
    LAGGING,
    /** The speech service dropped the stream to protect the others (overload). */
    SHED,
    /** No transcription: speech is off, has no model for the language, or failed. */
    UNAVAILABLE;

    /** As on the wire and in metrics: {@code active}, {@code lagging}, {@code shed}, {@code unavailable}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
