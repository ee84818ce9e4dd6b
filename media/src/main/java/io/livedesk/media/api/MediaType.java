package io.livedesk.media.api;

import java.util.Locale;

public enum MediaType {
    AUDIO, VIDEO;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
