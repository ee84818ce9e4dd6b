package io.livedesk.media.sdp;

/**
 * A media stream and track identification (RFC 8830): {@code a=msid:<stream> [<track>]} on an
 * m-section, or {@code a=ssrc:<ssrc> msid:<stream> <track>}. Chromium uses {@code -} as the
 * stream id for a track in no stream.
 *
 * @param trackId null when absent
 */
public record Msid(String streamId, String trackId) {
    public Msid {
        SdpSyntax.token("msid stream id", streamId);
        if (trackId != null) {
            SdpSyntax.token("msid track id", trackId);
        }
    }

    public String attributeValue() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
