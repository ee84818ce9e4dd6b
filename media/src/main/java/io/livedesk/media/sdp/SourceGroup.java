package io.livedesk.media.sdp;

import java.util.List;

/**
 * {@code a=ssrc-group:<semantics> <ssrc>…} (RFC 5576 section 4.2). {@code FID} pairs a media SSRC
 * with its RTX SSRC; {@code SIM} lists simulcast layers.
 */
public record SourceGroup(String semantics, List<Long> ssrcs) {
    public static final String FID = "FID";

    public SourceGroup {
        SdpSyntax.token("ssrc-group semantics", semantics);
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.isEmpty()) {
            throw new IllegalArgumentException("ssrc-group " + semantics + " lists no ssrc");
        }
        ssrcs.forEach(s -> SdpSyntax.inRange("ssrc", s, 0, SdpSyntax.MAX_UINT32));
    }

    public static SourceGroup fid(long mediaSsrc, long rtxSsrc) {
        return new SourceGroup(FID, List.of(mediaSsrc, rtxSsrc));
    }
}
