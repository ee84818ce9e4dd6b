package io.livedesk.media.sdp;

import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.SetupRole;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerBuilderTest {
    static final IceParameters BRIDGE_ICE = new IceParameters("brdg", "0123456789abcdefABCDEF+/");
    static final Fingerprint BRIDGE_FINGERPRINT =
            Fingerprint.ofCertificate("sha-256", "not really DER".getBytes(StandardCharsets.US_ASCII));
    static final Candidate BRIDGE_HOST = Candidate.udpHost("1", "127.0.0.1", 10000);
    static final LocalTransport BRIDGE = new LocalTransport(BRIDGE_ICE, BRIDGE_FINGERPRINT, List.of(BRIDGE_HOST));
    static final Origin ORIGIN = Origin.of("5000000000000000001", 1);

    private final SdpParser parser = new SdpParser();
    private final AnswerBuilder builder = new AnswerBuilder(CodecPolicy.standard(true));

    private SessionDescription answer(String offer, Map<String, AnswerIntent> intents) throws Exception {
        return builder.answer(parser.parse(offer), ORIGIN, BRIDGE, intents);
    }

    @Test
    void keepsMidsOrderAndBundleWithTheBridgeTransport() throws Exception {
        SessionDescription answer = answer(ChromiumSdp.OFFER, Map.of());

        assertEquals(ORIGIN, answer.origin());
        assertEquals(List.of("0", "1"), answer.bundleMids());
        assertEquals(List.of("audio", "video"), answer.media().stream().map(MediaSection::media).collect(Collectors.toList()));
        assertTrue(answer.extmapAllowMixed());
        for (MediaSection m : answer.media()) {
            assertEquals("UDP/TLS/RTP/SAVPF", m.protocol());
            assertEquals(10000, m.port());
            assertEquals("IN IP4 127.0.0.1", m.connection());
            assertEquals(BRIDGE_ICE, m.ice());
            assertEquals(BRIDGE_FINGERPRINT, m.fingerprint());
            assertEquals(SetupRole.PASSIVE, m.setup());
            assertEquals(List.of(BRIDGE_HOST), m.candidates());
            assertTrue(m.endOfCandidates());
            assertTrue(m.rtcpMux());
            assertTrue(m.rtcpReducedSize());
            assertEquals(Direction.RECVONLY, m.direction());
            assertEquals(List.of(), m.sources());
            assertEquals(List.of(), m.msids());
        }
    }

    /** Jitsi Videobridge told of more than the browser was answered acts on it: both must come from one place. */
    @Test
    void negotiatedSectionsAreExactlyWhatTheAnswerCarries() throws Exception {
        for (String text : List.of(ChromiumSdp.OFFER, SimulcastOffer.CHROMIUM)) {
            for (CodecPolicy policy : List.of(CodecPolicy.standard(true), CodecPolicy.standard(false))) {
                AnswerBuilder answers = new AnswerBuilder(policy);
                SessionDescription offer = parser.parse(text);
                List<MediaSection> accepted = answers.answer(offer, ORIGIN, BRIDGE, Map.of()).media().stream()
                        .filter(m -> !m.isRejected()).collect(Collectors.toList());
                List<MediaSection> negotiated = answers.negotiatedSections(offer);
                assertEquals(accepted.size(), negotiated.size());
                for (int i = 0; i < accepted.size(); i++) {
                    assertEquals(accepted.get(i).mid(), negotiated.get(i).mid());
                    assertEquals(accepted.get(i).codecs(), negotiated.get(i).codecs());
                    assertEquals(accepted.get(i).headerExtensions(), negotiated.get(i).headerExtensions());
                }
            }
        }
        // What a bridge was told before: everything offered, H.264 and its transport-wide extension included.
        List<MediaSection> vp8Only = new AnswerBuilder(CodecPolicy.standard(false))
                .negotiatedSections(parser.parse(ChromiumSdp.OFFER));
        assertTrue(vp8Only.get(1).codecs().stream().noneMatch(c -> c.name().equalsIgnoreCase("H264")));
        assertTrue(parser.parse(ChromiumSdp.OFFER).media().get(1).codecs().stream()
                .anyMatch(c -> c.name().equalsIgnoreCase("H264")));
    }

    @Test
    void audioIsOpusWithTheBridgesFmtpUnderTheOffersPayloadType() throws Exception {
        MediaSection audio = answer(ChromiumSdp.OFFER, Map.of()).media().get(0);

        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("minptime", "10");
        fmtp.put("useinbandfec", "1");
        assertEquals(List.of(new RtpCodec(111, "opus", 48000, 2, fmtp, List.of(RtcpFeedback.TRANSPORT_CC))), audio.codecs());
        assertEquals(List.of("111"), audio.formats());
        assertEquals(List.of(new Extmap(1, Extmap.AUDIO_LEVEL), new Extmap(2, Extmap.ABS_SEND_TIME),
                new Extmap(3, Extmap.TRANSPORT_WIDE_CC), new Extmap(4, Extmap.MID)),
                audio.headerExtensions());
    }

    @Test
    void videoKeepsVp8AndMatchingH264WithTheirRtx() throws Exception {
        MediaSection video = answer(ChromiumSdp.OFFER, Map.of()).media().get(1);

        assertEquals(List.of("96", "97", "102", "103", "108", "109"), video.formats());
        List<RtcpFeedback> feedback = List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC, RtcpFeedback.CCM_FIR,
                RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        assertEquals(new RtpCodec(96, "VP8", 90000, 1, Map.of(), feedback), video.codec(96).orElseThrow());
        assertEquals(new RtpCodec(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of()), video.codec(97).orElseThrow());
        RtpCodec h264 = video.codec(102).orElseThrow();
        assertEquals("42001f", h264.parameters().get("profile-level-id"), "the offered profile is echoed");
        assertEquals("1", h264.parameters().get("packetization-mode"));
        assertEquals(feedback, h264.feedback());
        assertEquals(102, video.codec(103).orElseThrow().associatedPayloadType().getAsInt());
        assertEquals("42e01f", video.codec(108).orElseThrow().parameters().get("profile-level-id"));
        assertTrue(video.codec(116).isEmpty(), "Main profile (4d001f) does not match constrained baseline");
        assertEquals(List.of(new Extmap(2, Extmap.ABS_SEND_TIME),
                new Extmap(3, Extmap.TRANSPORT_WIDE_CC), new Extmap(4, Extmap.MID)),
                video.headerExtensions());
    }

    @Test
    void withoutH264OnlyVp8Remains() throws Exception {
        SessionDescription answer = new AnswerBuilder(CodecPolicy.standard(false))
                .answer(parser.parse(ChromiumSdp.OFFER), ORIGIN, BRIDGE, Map.of());
        assertEquals(List.of("96", "97"), answer.media().get(1).formats());
    }

    @Test
    void sendRecvSectionCarriesTheForwardedSource() throws Exception {
        ForwardedTrack track = new ForwardedTrack(MediaType.VIDEO, "staff-7", "staff-7-cam", "cnameStaff7", 1111L, 2222L);
        MediaSection video = answer(ChromiumSdp.OFFER, Map.of("1", AnswerIntent.sendReceive(track))).media().get(1);

        assertEquals(Direction.SENDRECV, video.direction());
        Msid msid = new Msid("staff-7", "staff-7-cam");
        assertEquals(List.of(msid), video.msids());
        assertEquals(List.of(SourceGroup.fid(1111L, 2222L)), video.sourceGroups());
        assertEquals(List.of(new Source(1111L, "cnameStaff7", msid), new Source(2222L, "cnameStaff7", msid)), video.sources());
    }

    @Test
    void directionNeverExceedsWhatWasOffered() throws Exception {
        String sendOnlyOffer = ChromiumSdp.OFFER.replace("a=sendrecv", "a=sendonly");
        ForwardedTrack track = new ForwardedTrack(MediaType.AUDIO, "s", "t", "c", 1L, null);
        SessionDescription answer = answer(sendOnlyOffer, Map.of("0", AnswerIntent.sendReceive(track)));

        assertEquals(Direction.RECVONLY, answer.media().get(0).direction());
        assertEquals(List.of(), answer.media().get(0).sources(), "nothing is announced on a section the bridge may not send on");
        assertEquals(Direction.INACTIVE, Direction.RECVONLY.answerTo(Direction.RECVONLY));
        assertEquals(Direction.SENDONLY, Direction.SENDRECV.answerTo(Direction.RECVONLY));
    }

    @Test
    void aViewersSectionsAreAnsweredSendOnlyOrInactiveWhateverItOffered() throws Exception {
        // A viewer's page offering sendrecv on both sections (as addTrack would): it still gets no receiver.
        ForwardedTrack hostVideo = new ForwardedTrack(MediaType.VIDEO, "host", "host-cam", "cnameHost", 1111L, 2222L);
        SessionDescription answer = builder.answer(parser.parse(ChromiumSdp.OFFER), ORIGIN, BRIDGE,
                Map.of("1", AnswerIntent.sendOnly(hostVideo)), AnswerIntent.inactive());

        MediaSection audio = answer.media().get(0);
        assertEquals(Direction.INACTIVE, audio.direction(), "no track for it: inactive, not recvonly");
        assertFalse(audio.isRejected(), "kept in the bundle for the next offer");
        assertEquals(List.of(), audio.sources());
        MediaSection video = answer.media().get(1);
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(List.of(new Source(1111L, "cnameHost", new Msid("host", "host-cam")),
                new Source(2222L, "cnameHost", new Msid("host", "host-cam"))), video.sources());
        assertEquals(List.of("0", "1"), answer.bundleMids());
    }

    @Test
    void sendOnlyOnASectionTheBrowserOnlySendsOnIsInactiveWithoutTheTrack() throws Exception {
        String sendOnlyOffer = ChromiumSdp.OFFER.replace("a=sendrecv", "a=sendonly");
        ForwardedTrack track = new ForwardedTrack(MediaType.AUDIO, "s", "t", "c", 1L, null);
        SessionDescription answer = builder.answer(parser.parse(sendOnlyOffer), ORIGIN, BRIDGE,
                Map.of("0", AnswerIntent.sendOnly(track)), AnswerIntent.inactive());

        for (MediaSection m : answer.media()) {
            assertEquals(Direction.INACTIVE, m.direction(), m.mid());
            assertEquals(List.of(), m.sources(), m.mid());
        }
        assertEquals(Direction.SENDONLY, Direction.SENDONLY.answerTo(Direction.RECVONLY));
        assertEquals(Direction.SENDONLY, Direction.SENDONLY.answerTo(Direction.SENDRECV));
        assertEquals(Direction.INACTIVE, Direction.INACTIVE.answerTo(Direction.SENDRECV));
    }

    @Test
    void intentsNeedWhatTheirDirectionPromises() {
        assertThrows(IllegalArgumentException.class, () -> AnswerIntent.sendOnly(null));
        assertEquals(new AnswerIntent(Direction.INACTIVE, null), AnswerIntent.inactive());
        assertThrows(IllegalArgumentException.class, () -> new AnswerIntent(Direction.INACTIVE,
                new ForwardedTrack(MediaType.AUDIO, "s", "t", "c", 1L, null)));
    }

    @Test
    void writtenAnswerHasWhatChromiumRequires() throws Exception {
        String text = new SdpWriter().write(answer(ChromiumSdp.OFFER, Map.of()));
        List<String> lines = Arrays.asList(text.split("\r\n"));

        assertTrue(lines.containsAll(List.of("v=0", "o=- 5000000000000000001 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0 1", "a=rtcp-mux", "a=setup:passive", "a=ice-ufrag:brdg", "a=ice-pwd:0123456789abcdefABCDEF+/",
                "a=fingerprint:sha-256 " + BRIDGE_FINGERPRINT.value(), "a=mid:0", "a=mid:1",
                "a=candidate:1 1 udp 2130706431 127.0.0.1 10000 typ host", "a=end-of-candidates",
                "m=audio 10000 UDP/TLS/RTP/SAVPF 111", "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 goog-remb",
                "a=rtcp-fb:96 transport-cc", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
                "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
                "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "a=recvonly")), text);
        assertEquals(answer(ChromiumSdp.OFFER, Map.of()), parser.parse(text));
    }

    @Test
    void unsupportedSectionsAreRejectedAndLeftOutOfTheBundle() throws Exception {
        String withData = ChromiumSdp.OFFER.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 2")
                + "m=application 52817 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 127.0.0.1\r\na=mid:2\r\na=sctp-port:5000\r\n";
        SessionDescription answer = answer(withData, Map.of());

        MediaSection data = answer.media().get(2);
        assertEquals("2", data.mid());
        assertEquals(0, data.port());
        assertTrue(data.isRejected());
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertEquals(List.of("0", "1"), answer.bundleMids());
    }

    @Test
    void videoWithNoCommonCodecIsRejected() throws Exception {
        String vp9Only = ChromiumSdp.OFFER.replaceAll("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP9/90000")
                .replace("H264/90000", "H265/90000");
        SessionDescription answer = answer(vp9Only, Map.of());
        assertTrue(answer.media().get(1).isRejected());
        assertFalse(answer.media().get(0).isRejected());
        assertEquals(List.of("0"), answer.bundleMids());
    }

    @Test
    void offersTheBridgeCannotServeAreNegotiationErrors() throws Exception {
        assertNegotiationError(ChromiumSdp.OFFER.replace("a=group:BUNDLE 0 1\r\n", ""), "BUNDLE");
        assertNegotiationError(ChromiumSdp.OFFER.replace("a=rtcp-mux\r\n", ""), "rtcp-mux");
        assertNegotiationError(ChromiumSdp.OFFER.replace("a=setup:actpass", "a=setup:passive"), "actpass");
        assertNegotiationError(ChromiumSdp.OFFER.replaceAll("a=fingerprint:[^\r]*\r\n", ""), "fingerprint");
        assertNegotiationError(ChromiumSdp.OFFER.replaceAll("a=ice-(ufrag|pwd):[^\r]*\r\n", ""), "ice-ufrag");
    }

    private void assertNegotiationError(String offer, String expected) {
        SdpNegotiationException e = assertThrows(SdpNegotiationException.class, () -> answer(offer, Map.of()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
