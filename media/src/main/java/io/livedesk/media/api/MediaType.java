package io.livedesk.media.api;

import java.util.Locale;

/** The kinds of RTP media the bridge forwards, in Colibri2 (a media's {@code type}) and in SDP (the m= token). */
public enum MediaType {
    AUDIO, VIDEO;

    /** {@code audio} or {@code video}: Colibri2 and SDP write it the same way. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether an SDP m= line's media token is this type. */
    public boolean matches(String media) {
        return wire().equals(media);
    }
}
