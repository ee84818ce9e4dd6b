package io.livedesk.media.bridge;

import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.sdp.ForwardedTrack;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.media.sdp.SimulcastOffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the bridge is told of a simulcast offer, and what other browsers are told of its track: one SSRC, the same
 * on both sides, derived from the track.
 */
class BridgeSdpSimulcastTest {
    private static String offer() {
        return SimulcastOffer.CHROMIUM;
    }

    @Test
    void aRidOfferIsOneSourceWithItsRidsAndTheReceiverSsrcOthersAreToldOf() throws Exception {
        SessionDescription sdp = new SdpParser().parse(offer());
        List<MediaSource> sources = BridgeSdp.sources(sdp);
        assertEquals(2, sources.size());
        MediaSource video = sources.get(1);
        assertEquals(MediaType.VIDEO, video.type());
        assertEquals(List.of("f", "h", "q"), video.rids());
        long receiverSsrc = BridgeSdp.receiverSsrc("video-track-1");
        assertEquals(List.of(new MediaSource.Ssrc(receiverSsrc, "video-track-1")), video.ssrcs());

        ForwardedTrack track = BridgeSdp.track(sdp, MediaType.VIDEO).orElseThrow();
        assertEquals(receiverSsrc, track.ssrc(), "signaling and the bridge agree without asking each other");
        assertNull(track.rtxSsrc(), "one rewritten stream, no RTX");
        assertEquals("peer-cname", track.cname(), "the browser's CNAME, from its audio, for lip sync");
        assertEquals("video-track-1", track.trackId());
    }

    @Test
    void theReceiverSsrcIsStableDiffersPerTrackAndIsNeverZero() {
        assertEquals(BridgeSdp.receiverSsrc("a"), BridgeSdp.receiverSsrc("a"));
        assertNotEquals(BridgeSdp.receiverSsrc("a"), BridgeSdp.receiverSsrc("b"));
        for (int i = 0; i < 10_000; i++) {
            long ssrc = BridgeSdp.receiverSsrc("track-" + i);
            assertNotEquals(0, ssrc);
            assertEquals(ssrc, ssrc & 0xFFFF_FFFFL);
        }
    }

    @Test
    void theSsrcFormIsForwardedOnTheSimGroupsFirstSsrc() throws Exception {
        String munged = offer().replace("a=rid:f send\r\na=rid:h send\r\na=rid:q send\r\na=simulcast:send f;h;q\r\n",
                "a=ssrc-group:FID 100 101\r\na=ssrc-group:SIM 100 200 300\r\n"
                        + "a=ssrc:100 cname:peer-cname\r\na=ssrc:101 cname:peer-cname\r\na=ssrc:200 cname:peer-cname\r\n"
                        + "a=ssrc:300 cname:peer-cname\r\n");
        SessionDescription sdp = new SdpParser().parse(munged);
        ForwardedTrack track = BridgeSdp.track(sdp, MediaType.VIDEO).orElseThrow();
        assertEquals(100, track.ssrc());
        assertNull(track.rtxSsrc());
        MediaSource video = BridgeSdp.sources(sdp).get(1);
        assertEquals(List.of(), video.rids());
        assertEquals(4, video.ssrcs().size(), "the layers and the RTX, with their groups, for the bridge");
    }
}
