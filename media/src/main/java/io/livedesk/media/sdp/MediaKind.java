package io.livedesk.media.sdp;

import java.util.Locale;

/** The kinds of RTP media the bridge forwards; SDP's m= media token for each. */
public enum MediaKind {
    AUDIO, VIDEO;

    public String sdpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean matches(String media) {
        return sdpName().equals(media);
    }
}
