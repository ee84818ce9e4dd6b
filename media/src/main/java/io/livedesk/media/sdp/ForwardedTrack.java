package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;

/**
 * A track the bridge sends to a browser on behalf of another participant, described so the
 * browser can map the incoming SSRCs to a remote track: {@code a=msid}, one {@code a=ssrc} cname
 * and msid line per SSRC, and {@code a=ssrc-group:FID} pairing media and RTX.
 *
 * @param cname the sender's RTCP CNAME, so the browser can lip-sync its audio and video
 * @param rtxSsrc null when the track has no RTX stream (audio)
 */
public record ForwardedTrack(MediaType kind, String streamId, String trackId, String cname, long ssrc, Long rtxSsrc) {
    public ForwardedTrack {
        if (kind == null) {
            throw new IllegalArgumentException("kind is missing");
        }
        new Msid(streamId, trackId); // fails early, here, rather than when the SDP is built
        SdpSyntax.token("cname", cname);
        SdpSyntax.inRange("ssrc", ssrc, 0, SdpSyntax.MAX_UINT32);
        if (rtxSsrc != null) {
            SdpSyntax.inRange("rtx ssrc", rtxSsrc, 0, SdpSyntax.MAX_UINT32);
            if (rtxSsrc == ssrc) {
                throw new IllegalArgumentException("rtx ssrc equals the media ssrc");
            }
        }
    }

    void applyTo(MediaSection.Builder section) {
        Msid msid = new Msid(streamId, trackId);
        section.msid(msid);
        if (rtxSsrc != null) {
            section.sourceGroup(SourceGroup.fid(ssrc, rtxSsrc));
        }
        section.source(new Source(ssrc, cname, msid));
        if (rtxSsrc != null) {
            section.source(new Source(rtxSsrc, cname, msid));
        }
    }
}
