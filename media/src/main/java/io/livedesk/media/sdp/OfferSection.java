package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;

/**
 * One m-section of an offer the bridge makes to a browser. Mids must stay stable across
 * re-offers (JSEP section 5.2.2), so the caller chooses them.
 *
 * @param track the remote track forwarded on this section; null for a section on which the
 *              bridge receives the browser's own media
 */
public record OfferSection(String mid, MediaType kind, Direction direction, ForwardedTrack track) {
    public OfferSection {
        SdpSyntax.token("mid", mid);
        if (kind == null || direction == null) {
            throw new IllegalArgumentException("kind and direction are required");
        }
        if (track != null && track.kind() != kind) {
            throw new IllegalArgumentException("a " + track.kind().wire() + " track cannot go on a " + kind.wire() + " section");
        }
        if (track != null && !direction.sends()) {
            throw new IllegalArgumentException("a forwarded track needs a sending direction");
        }
    }

    /** A section on which the browser sends its own media to the bridge. */
    public static OfferSection receiveFromBrowser(String mid, MediaType kind) {
        return new OfferSection(mid, kind, Direction.RECVONLY, null);
    }

    /** A section carrying another participant's track to the browser. */
    public static OfferSection forward(String mid, ForwardedTrack track) {
        return new OfferSection(mid, track.kind(), Direction.SENDONLY, track);
    }
}
