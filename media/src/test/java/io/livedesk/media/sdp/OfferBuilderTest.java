package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.SetupRole;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge's offer to a customer's browser that receives a staff member and a supervisor. */
class OfferBuilderTest {
    private static final ForwardedTrack STAFF_AUDIO =
            new ForwardedTrack(MediaType.AUDIO, "staff", "staff-mic", "cnameStaff", 1001L, null);
    private static final ForwardedTrack STAFF_VIDEO =
            new ForwardedTrack(MediaType.VIDEO, "staff", "staff-cam", "cnameStaff", 2001L, 2002L);
    private static final ForwardedTrack SUPERVISOR_VIDEO =
            new ForwardedTrack(MediaType.VIDEO, "supervisor", "supervisor-cam", "cnameSup", 3001L, 3002L);

    private final OfferBuilder builder = new OfferBuilder(CodecPolicy.standard(false));

    private SessionDescription offer() {
        return builder.offer(AnswerBuilderTest.ORIGIN, AnswerBuilderTest.BRIDGE, List.of(
                OfferSection.receiveFromBrowser("0", MediaType.AUDIO),
                OfferSection.receiveFromBrowser("1", MediaType.VIDEO),
                OfferSection.forward("2", STAFF_AUDIO),
                OfferSection.forward("3", STAFF_VIDEO),
                OfferSection.forward("4", SUPERVISOR_VIDEO)));
    }

    @Test
    void oneSectionPerRemoteTrackPlusTheBrowsersOwn() {
        SessionDescription offer = offer();

        assertEquals(List.of("0", "1", "2", "3", "4"), offer.bundleMids());
        assertEquals(List.of("audio", "video", "audio", "video", "video"),
                offer.media().stream().map(MediaSection::media).collect(Collectors.toList()));
        assertEquals(List.of(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY, Direction.SENDONLY),
                offer.media().stream().map(MediaSection::direction).collect(Collectors.toList()));
        for (MediaSection m : offer.media()) {
            assertEquals(SetupRole.ACTPASS, m.setup());
            assertEquals(AnswerBuilderTest.BRIDGE_ICE, m.ice());
            assertEquals(AnswerBuilderTest.BRIDGE_FINGERPRINT, m.fingerprint());
            assertEquals(List.of(AnswerBuilderTest.BRIDGE_HOST), m.candidates());
            assertTrue(m.rtcpMux());
        }
    }

    @Test
    void remoteVideoSectionsCarryTheirSources() {
        SessionDescription offer = offer();

        MediaSection staff = offer.section("3").orElseThrow();
        Msid staffMsid = new Msid("staff", "staff-cam");
        assertEquals(List.of(staffMsid), staff.msids());
        assertEquals(List.of(SourceGroup.fid(2001L, 2002L)), staff.sourceGroups());
        assertEquals(List.of(new Source(2001L, "cnameStaff", staffMsid), new Source(2002L, "cnameStaff", staffMsid)), staff.sources());

        MediaSection supervisor = offer.section("4").orElseThrow();
        assertEquals(List.of(SourceGroup.fid(3001L, 3002L)), supervisor.sourceGroups());
        assertEquals(List.of(3001L, 3002L), supervisor.sources().stream().map(Source::ssrc).collect(Collectors.toList()));

        assertEquals(List.of(), offer.section("0").orElseThrow().sources());
        assertEquals(List.of(), offer.section("2").orElseThrow().sourceGroups(), "audio has no RTX");
    }

    @Test
    void writtenOfferCarriesSsrcLinesAndCodecs() throws Exception {
        String text = new SdpWriter().write(offer());
        List<String> lines = Arrays.asList(text.split("\r\n"));

        assertTrue(lines.containsAll(List.of("a=group:BUNDLE 0 1 2 3 4", "a=setup:actpass", "a=extmap-allow-mixed",
                "m=video 10000 UDP/TLS/RTP/SAVPF 96 97", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtcp-fb:111 transport-cc", "a=fmtp:97 apt=96", "a=rtcp-fb:96 nack", "a=rtcp-fb:96 nack pli",
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
                "a=msid:staff staff-cam", "a=ssrc-group:FID 2001 2002", "a=ssrc:2001 cname:cnameStaff",
                "a=ssrc:2001 msid:staff staff-cam", "a=ssrc:2002 msid:staff staff-cam",
                "a=ssrc-group:FID 3001 3002", "a=ssrc:3001 msid:supervisor supervisor-cam",
                "a=ssrc:1001 cname:cnameStaff", "a=sendonly", "a=recvonly")), text);
        // Chromium puts ssrc-group before the ssrc lines it names.
        assertTrue(text.indexOf("a=ssrc-group:FID 2001 2002") < text.indexOf("a=ssrc:2001 cname"));
        assertEquals(offer(), new SdpParser().parse(text));
    }

    @Test
    void theOfferIsOneTheAnswerSideAccepts() throws Exception {
        // Stand-in for a browser: our own answerer must accept every section of the bridge's offer.
        SessionDescription answer = new AnswerBuilder(CodecPolicy.standard(false)).answer(
                new SdpParser().parse(new SdpWriter().write(offer())), Origin.of("9", 1), AnswerBuilderTest.BRIDGE, Map.of());
        assertEquals(List.of("0", "1", "2", "3", "4"), answer.bundleMids());
        assertEquals(Direction.INACTIVE, answer.section("0").orElseThrow().direction(), "a receive-only answer to a receive-only section is inactive");
        assertEquals(Direction.RECVONLY, answer.section("3").orElseThrow().direction());
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> builder.offer(AnswerBuilderTest.ORIGIN, AnswerBuilderTest.BRIDGE,
                List.of(OfferSection.forward("1", STAFF_VIDEO), OfferSection.forward("1", SUPERVISOR_VIDEO))));
        assertThrows(IllegalArgumentException.class, () -> new OfferSection("1", MediaType.AUDIO, Direction.SENDONLY, STAFF_VIDEO));
        assertThrows(IllegalArgumentException.class, () -> builder.offer(AnswerBuilderTest.ORIGIN, AnswerBuilderTest.BRIDGE, List.of()));
    }
}
