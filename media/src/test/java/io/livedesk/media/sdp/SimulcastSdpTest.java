package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Simulcast offers (RFC 8853 by rid, and the SIM group) and the bridge's answer to them. */
class SimulcastSdpTest {
    private static final String OFFER = SimulcastOffer.CHROMIUM;

    private final SdpParser parser = new SdpParser();

    private static LocalTransport bridge() {
        return new LocalTransport(new IceParameters("brdg", "0123456789abcdefABCDEF+/"),
                Fingerprint.ofCertificate("sha-256", new byte[]{1, 2, 3}), List.of(Candidate.udpHost("1", "127.0.0.1", 10000)));
    }

    private MediaSection video(String sdp) throws Exception {
        return parser.parse(sdp).media().get(1);
    }

    @Test
    void chromiumsRidOfferIsReadInItsOrder() throws Exception {
        Optional<Simulcast> simulcast = Simulcast.of(video(OFFER));
        assertEquals(Optional.of(new Simulcast(List.of("f", "h", "q"), List.of())), simulcast);
        assertTrue(Simulcast.of(parser.parse(OFFER).media().get(0)).isEmpty(), "the audio section sends no layers");
    }

    @Test
    void alternativesPausedLayersAndBadListsAreRead() throws Exception {
        String alternatives = OFFER.replace("a=simulcast:send f;h;q", "a=simulcast:send f,h;~q recv x");
        assertEquals(List.of("f", "q"), Simulcast.of(video(alternatives)).orElseThrow().rids(),
                "the first alternative of each stream, a paused one included");
        String undeclared = OFFER.replace("a=simulcast:send f;h;q", "a=simulcast:send f;h;z");
        assertTrue(Simulcast.of(video(undeclared)).isEmpty(), "every listed rid needs its a=rid:<id> send");
        String repeated = OFFER.replace("a=simulcast:send f;h;q", "a=simulcast:send f;f");
        assertTrue(Simulcast.of(video(repeated)).isEmpty());
        String one = OFFER.replace("a=simulcast:send f;h;q", "a=simulcast:send f");
        assertTrue(Simulcast.of(video(one)).isEmpty(), "one layer is not simulcast");
        String recvOnly = OFFER.replace("a=simulcast:send f;h;q", "a=simulcast:recv f;h;q");
        assertTrue(Simulcast.of(video(recvOnly)).isEmpty());
    }

    @Test
    void theSsrcFormIsTheSimGroup() throws Exception {
        String munged = OFFER.replace("a=rid:f send\r\na=rid:h send\r\na=rid:q send\r\na=simulcast:send f;h;q\r\n",
                "a=ssrc-group:SIM 100 200 300\r\na=ssrc:100 cname:peer-cname\r\na=ssrc:200 cname:peer-cname\r\n"
                        + "a=ssrc:300 cname:peer-cname\r\n");
        Simulcast simulcast = Simulcast.of(video(munged)).orElseThrow();
        assertFalse(simulcast.byRid());
        assertEquals(List.of(100L, 200L, 300L), simulcast.ssrcs());
    }

    @Test
    void theAnswerReceivesEveryLayerWithTheRidExtensions() throws Exception {
        AnswerBuilder builder = new AnswerBuilder(io.livedesk.media.bridge.BridgeCodecPolicy.forForwarding());
        SessionDescription answer = builder.answer(parser.parse(OFFER), Origin.of("1", 1), bridge(), Map.of());
        MediaSection video = answer.media().get(1);
        assertEquals(List.of(new Attribute("rid", "f recv"), new Attribute("rid", "h recv"), new Attribute("rid", "q recv"),
                new Attribute("simulcast", "recv f;h;q")), video.otherAttributes());
        assertTrue(video.headerExtension(Simulcast.RTP_STREAM_ID).isPresent());
        assertEquals(10, video.headerExtension(Simulcast.RTP_STREAM_ID).get().id(), "under the offer's id");
        assertTrue(video.headerExtension(Simulcast.REPAIRED_RTP_STREAM_ID).isPresent());
        assertEquals(SetupRole.PASSIVE, video.setup());
        String written = new SdpWriter().write(answer);
        assertTrue(written.contains("a=simulcast:recv f;h;q\r\n"), written);
        assertEquals(answer, parser.parse(written), "the answer parses back as written");
    }

    @Test
    void noSimulcastAndNoRidExtensionsWhereTheBridgeDoesNotReceive() throws Exception {
        AnswerBuilder builder = new AnswerBuilder(io.livedesk.media.bridge.BridgeCodecPolicy.forForwarding());
        SessionDescription viewer = builder.answer(parser.parse(OFFER), Origin.of("1", 1), bridge(), Map.of(),
                AnswerIntent.inactive());
        MediaSection video = viewer.media().get(1);
        assertEquals(List.of(), video.otherAttributes());
        assertTrue(video.headerExtension(Simulcast.RTP_STREAM_ID).isEmpty());

        String plain = OFFER.replace("a=rid:f send\r\na=rid:h send\r\na=rid:q send\r\na=simulcast:send f;h;q\r\n", "");
        MediaSection plainVideo = builder.answer(parser.parse(plain), Origin.of("1", 1), bridge(), Map.of()).media().get(1);
        assertTrue(plainVideo.headerExtension(Simulcast.RTP_STREAM_ID).isEmpty(),
                "the rid extensions only where the answer takes simulcast");
        assertTrue(plainVideo.headerExtension(Extmap.ABS_SEND_TIME).isPresent());
    }
}
