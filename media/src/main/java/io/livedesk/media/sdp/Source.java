package io.livedesk.media.sdp;

import java.util.List;

/**
 * An RTP source announced with {@code a=ssrc:<ssrc> <attribute>} lines (RFC 5576), which is how
 * an SFU tells a browser which incoming SSRC belongs to which remote track.
 *
 * @param cname null when no cname line
 * @param msid null when no msid line
 * @param otherAttributes further ssrc attributes kept as written (e.g. Chromium's legacy mslabel)
 */
public record Source(long ssrc, String cname, Msid msid, List<Attribute> otherAttributes) {
    public Source {
        SdpSyntax.inRange("ssrc", ssrc, 0, SdpSyntax.MAX_UINT32);
        if (cname != null) {
            SdpSyntax.token("cname", cname);
        }
        otherAttributes = List.copyOf(otherAttributes);
    }

    public Source(long ssrc, String cname, Msid msid) {
        this(ssrc, cname, msid, List.of());
    }
}
