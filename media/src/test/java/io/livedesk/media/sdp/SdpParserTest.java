package io.livedesk.media.sdp;

import io.livedesk.media.api.SetupRole;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpParserTest {
    private final SdpParser parser = new SdpParser();
    private final SdpWriter writer = new SdpWriter();

    @Test
    void parsesChromiumOfferSessionLevel() throws Exception {
        SessionDescription offer = parser.parse(ChromiumSdp.OFFER);

        assertEquals(new Origin("-", "3495776328144126540", 2, "IN", "IP4", "127.0.0.1"), offer.origin());
        assertEquals(List.of("0", "1"), offer.bundleMids());
        assertTrue(offer.extmapAllowMixed());
        assertEquals(List.of(new Attribute("msid-semantic", " WMS ebfa39ad-c946-4153-9356-a16cbe8e072c")),
                offer.otherAttributes());
        assertEquals(2, offer.media().size());
    }

    @Test
    void parsesChromiumAudioSection() throws Exception {
        MediaSection audio = parser.parse(ChromiumSdp.OFFER).media().get(0);

        assertEquals("audio", audio.media());
        assertEquals(43436, audio.port());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.protocol());
        assertEquals("0", audio.mid());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertEquals(new IceParameters("57ar", "ope/wU+eT0kjowFhPEEj6tVW", List.of("trickle")), audio.ice());
        assertEquals("sha-256", audio.fingerprint().hashFunction());
        assertEquals(SetupRole.ACTPASS, audio.setup());
        assertTrue(audio.rtcpMux());
        assertTrue(audio.rtcpReducedSize());
        assertEquals(List.of(111, 63, 9, 0, 8, 13, 110, 126),
                audio.codecs().stream().map(RtpCodec::payloadType).collect(Collectors.toList()));
        RtpCodec opus = audio.codec(111).orElseThrow();
        assertEquals("opus", opus.name());
        assertEquals(48000, opus.clockRate());
        assertEquals(2, opus.channels());
        assertEquals(Map.of("minptime", "10", "useinbandfec", "1"), opus.parameters());
        assertEquals(List.of(RtcpFeedback.TRANSPORT_CC), opus.feedback());
        assertEquals(Map.of("111/111", ""), audio.codec(63).orElseThrow().parameters());
        assertEquals(4, audio.headerExtensions().size());
        assertEquals(1, audio.headerExtension(Extmap.AUDIO_LEVEL).orElseThrow().id());
        assertEquals(List.of(new Attribute("rtcp", "9 IN IP4 0.0.0.0"), new Attribute("rtcp-xr", "rcvr-rtt=all")),
                audio.otherAttributes());

        Candidate candidate = audio.candidates().get(0);
        assertEquals(2, audio.candidates().size());
        assertEquals("::1", audio.candidates().get(1).address());
        assertEquals("1403634298", candidate.foundation());
        assertEquals(1, candidate.component());
        assertEquals("udp", candidate.transport());
        assertEquals(2113937151L, candidate.priority());
        assertEquals("127.0.0.1", candidate.address());
        assertEquals(43436, candidate.port());
        assertEquals("host", candidate.type());
        assertEquals(Map.of("generation", "0", "network-cost", "999"), candidate.extensions());

        Source source = audio.sources().get(0);
        assertEquals(4254529680L, source.ssrc());
        assertEquals("p34y3hgfclL/EtOf", source.cname());
        assertEquals(new Msid("ebfa39ad-c946-4153-9356-a16cbe8e072c", "37b64b2a-b5bd-409c-a6a5-dfabc55a8104"), source.msid());
        assertEquals(List.of(source.msid()), audio.msids());
    }

    @Test
    void parsesChromiumVideoSection() throws Exception {
        MediaSection video = parser.parse(ChromiumSdp.OFFER).media().get(1);

        assertEquals(23, video.codecs().size());
        RtpCodec vp8 = video.codec(96).orElseThrow();
        assertEquals(List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC, RtcpFeedback.CCM_FIR,
                RtcpFeedback.NACK, RtcpFeedback.NACK_PLI), vp8.feedback());
        RtpCodec rtx = video.codec(97).orElseThrow();
        assertTrue(rtx.isRtx());
        assertEquals(96, rtx.associatedPayloadType().getAsInt());
        assertEquals("42001f", video.codec(102).orElseThrow().parameters().get("profile-level-id"));
        assertEquals("1", video.codec(102).orElseThrow().parameters().get("packetization-mode"));
        assertEquals(11, video.headerExtensions().size());
        assertEquals(List.of(SourceGroup.fid(2517798905L, 3284961588L)), video.sourceGroups());
        assertEquals(List.of(2517798905L, 3284961588L),
                video.sources().stream().map(Source::ssrc).collect(Collectors.toList()));
    }

    @Test
    void bareLineFeedsParseLikeCrlf() throws Exception {
        assertEquals(parser.parse(ChromiumSdp.OFFER), parser.parse(ChromiumSdp.OFFER_LF));
    }

    @Test
    void roundTripKeepsEveryLineOfTheOffer() throws Exception {
        SessionDescription parsed = parser.parse(ChromiumSdp.OFFER);
        String written = writer.write(parsed);

        assertEquals(parsed, parser.parse(written));
        // Same lines, possibly in Chromium's canonical order rather than the input's.
        assertEquals(sorted(ChromiumSdp.OFFER), sorted(written));
        assertTrue(written.endsWith("\r\n"));
        assertFalse(written.replace("\r\n", "").contains("\n"));
    }

    private static List<String> sorted(String sdp) {
        return Arrays.stream(sdp.split("\r\n")).sorted().collect(Collectors.toList());
    }

    @Test
    void parsesChromiumAnswerToTheBridge() throws Exception {
        SessionDescription answer = parser.parse(ChromiumSdp.ANSWER);

        assertEquals(List.of("a0", "v1", "v2"), answer.bundleMids());
        assertEquals(SetupRole.ACTIVE, answer.media().get(0).setup());
        assertEquals(Direction.SENDONLY, answer.media().get(0).direction());
        assertEquals(Direction.RECVONLY, answer.media().get(2).direction());
        assertEquals(List.of(), answer.media().get(1).candidates());
        assertEquals(List.of(), answer.media().get(1).ice().options());
    }

    @Test
    void sessionLevelTransportAttributesApplyToEverySection() throws Exception {
        String sdp = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "a=ice-ufrag:abcd", "a=ice-pwd:0123456789012345678901",
                "a=fingerprint:SHA-256 " + "ab:".repeat(31) + "ab", "a=setup:actpass",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=rtpmap:111 opus/48000/2",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=ice-ufrag:efgh", "a=rtpmap:111 opus/48000/2", "");
        SessionDescription parsed = parser.parse(sdp);

        assertEquals("abcd", parsed.media().get(0).ice().ufrag());
        assertEquals("efgh", parsed.media().get(1).ice().ufrag());
        assertEquals("0123456789012345678901", parsed.media().get(1).ice().pwd());
        assertEquals("sha-256", parsed.media().get(1).fingerprint().hashFunction());
        assertEquals("AB:".repeat(31) + "AB", parsed.media().get(1).fingerprint().value());
        assertEquals(SetupRole.ACTPASS, parsed.media().get(1).setup());
        assertNull(parsed.media().get(0).mid());
    }

    @Test
    void keepsUnknownAttributesAndDataChannelSection() throws Exception {
        String sdp = String.join("\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=x-custom:1 2",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "b=AS:30", "a=mid:2", "a=sctp-port:5000",
                "a=max-message-size:262144", "a=x-flag");
        MediaSection data = parser.parse(sdp).media().get(0);

        assertFalse(data.isRtp());
        assertEquals(List.of("webrtc-datachannel"), data.formats());
        assertEquals(List.of(new SdpLine('b', "AS:30")), data.extraLines());
        assertEquals(List.of(new Attribute("sctp-port", "5000"), new Attribute("max-message-size", "262144"),
                Attribute.flag("x-flag")), data.otherAttributes());
        String written = writer.write(parser.parse(sdp));
        assertTrue(Arrays.asList(written.split("\r\n")).containsAll(List.of("a=x-custom:1 2", "b=AS:30", "a=x-flag")));
    }

    @Test
    void wildcardFeedbackAppliesToEveryCodec() throws Exception {
        String sdp = String.join("\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 98", "a=rtcp-fb:* nack", "a=rtpmap:96 VP8/90000", "a=rtpmap:98 VP9/90000");
        MediaSection video = parser.parse(sdp).media().get(0);

        assertEquals(List.of(RtcpFeedback.NACK), video.codec(96).orElseThrow().feedback());
        assertEquals(List.of(RtcpFeedback.NACK), video.codec(98).orElseThrow().feedback());
    }
}
