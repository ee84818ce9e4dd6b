package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.Direction;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.SdpParseException;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SessionDescription;
import io.livedesk.media.sdp.Simulcast;
import io.livedesk.testkit.peer.SyntheticPeer.DtlsRole;
import io.livedesk.testkit.peer.SyntheticPeer.IceRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDP the synthetic endpoints exchange with Janus, against SDP Janus 1.1.2 wrote in a benchmark run. */
class JanusSdpTest {
    /** Janus's answer to a publisher's offer: recvonly, {@code a=setup:active}. */
    private static final String JANUS_ANSWER = crlf("""
            v=0
            o=- 7869129144979570414 2 IN IP4 127.0.0.1
            s=VideoRoom 1000
            t=0 0
            a=group:BUNDLE 0
            a=ice-options:trickle
            a=fingerprint:sha-256 B8:E8:45:9E:1E:38:7E:A2:DA:DA:00:AE:C4:03:BE:C9:56:38:60:67:09:18:9E:67:0C:F6:34:20:7B:34:AC:E6
            a=extmap-allow-mixed
            a=msid-semantic: WMS *
            m=video 9 UDP/TLS/RTP/SAVPF 96
            c=IN IP4 127.0.0.1
            a=recvonly
            a=mid:0
            a=rtcp-mux
            a=ice-ufrag:UXqY
            a=ice-pwd:4Zwr98zKJjHz3Iv7sCyPsj
            a=ice-options:trickle
            a=setup:active
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 transport-cc
            a=msid:janus janus0
            a=ssrc:270115375 cname:janus
            a=candidate:1 1 udp 2015363327 127.0.0.2 53418 typ host
            a=end-of-candidates
            """);

    /** Janus's offer to a subscriber of two feeds: a sendonly m-line per feed, RTX in an FID group. */
    private static final String JANUS_SUBSCRIBER_OFFER = crlf("""
            v=0
            o=- 1796491074030575 1 IN IP4 127.0.0.2
            s=VideoRoom 1000
            t=0 0
            a=group:BUNDLE 0 1
            a=ice-options:trickle
            a=fingerprint:sha-256 A9:46:40:4D:59:0F:A8:2E:BC:D5:4E:39:D8:50:5E:11:EF:C3:73:F1:46:72:49:9D:5E:7F:6B:07:D2:16:70:50
            a=extmap-allow-mixed
            a=msid-semantic: WMS *
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 127.0.0.2
            a=sendonly
            a=mid:0
            a=rtcp-mux
            a=ice-ufrag:kAeK
            a=ice-pwd:n1t8Fe3qBpra23sGQPyCY9
            a=ice-options:trickle
            a=setup:actpass
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 transport-cc
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=ssrc-group:FID 2490118012 4127576134
            a=msid:janus janus0
            a=ssrc:2490118012 cname:janus
            a=ssrc:4127576134 cname:janus
            a=candidate:1 1 udp 2015363327 127.0.0.2 58062 typ host
            a=end-of-candidates
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 127.0.0.2
            a=sendonly
            a=mid:1
            a=rtcp-mux
            a=ice-ufrag:kAeK
            a=ice-pwd:n1t8Fe3qBpra23sGQPyCY9
            a=ice-options:trickle
            a=setup:actpass
            a=rtpmap:96 VP8/90000
            a=rtcp-fb:96 ccm fir
            a=rtcp-fb:96 nack
            a=rtcp-fb:96 nack pli
            a=rtcp-fb:96 goog-remb
            a=rtcp-fb:96 transport-cc
            a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
            a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
            a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            a=ssrc-group:FID 2620270536 1211918888
            a=msid:janus janus1
            a=ssrc:2620270536 cname:janus
            a=ssrc:1211918888 cname:janus
            a=candidate:1 1 udp 2015363327 127.0.0.2 58062 typ host
            a=end-of-candidates
            """);

    private static final TransportDescription LOCAL = new TransportDescription("synabcd1234", "0123456789abcdef01234567",
            List.of(new TransportDescription.Fingerprint("sha-256", "AB:".repeat(31) + "AB", SetupRole.ACTPASS)),
            List.of(new TransportDescription.Candidate("1", 1, "udp", 2130706431L, "127.0.0.1", 40000, "host")), true);

    @Test
    void publisherOfferIsOneSendonlyVp8LineWithItsSsrcAndActpass() throws Exception {
        SessionDescription offer = new SdpParser().parse(JanusSdp.publisherOffer(LOCAL, 0x11110000L, "host"));

        assertEquals(List.of("0"), offer.bundleMids());
        MediaSection video = offer.media().get(0);
        assertEquals(1, offer.media().size());
        assertEquals("video", video.media());
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(SetupRole.ACTPASS, video.setup());
        assertEquals("synabcd1234", video.ice().ufrag());
        assertEquals("AB:".repeat(31) + "AB", video.fingerprint().value());
        assertTrue(video.rtcpMux());
        assertEquals("VP8", video.codecs().get(0).name());
        assertEquals(SrtpPeer.VIDEO_PT, video.codecs().get(0).payloadType());
        assertEquals(0x11110000L, video.sources().get(0).ssrc());
        assertEquals("127.0.0.1", video.candidates().get(0).address());
        assertEquals(40000, video.candidates().get(0).port());
        assertTrue(video.headerExtensions().isEmpty(), "no header extensions: neither server is asked to add any");
    }

    @Test
    void simulcastOfferListsTheRidsHighestFirstWithTheMidAndRidExtensionsAndNoSsrc() throws Exception {
        String text = JanusSdp.publisherSimulcastOffer(LOCAL, "host", SimulcastLayers.rids());
        SessionDescription offer = new SdpParser().parse(text);

        MediaSection video = offer.media().get(0);
        assertEquals(1, offer.media().size());
        assertEquals(Direction.SENDONLY, video.direction());
        assertEquals(SetupRole.ACTPASS, video.setup());
        assertEquals(List.of("f", "h", "q"), Simulcast.of(video).orElseThrow().rids(), "Chromium's order: f first");
        assertTrue(text.contains("a=rid:f send\r\na=rid:h send\r\na=rid:q send\r\n"), text);
        assertTrue(text.contains("a=simulcast:send f;h;q\r\n"), text);
        assertEquals(SimulcastLayers.MID_EXTENSION_ID, video.headerExtension(Extmap.MID).orElseThrow().id(),
                "Janus ties an unknown SSRC to the m-line by the mid extension only");
        assertEquals(SimulcastLayers.RID_EXTENSION_ID,
                video.headerExtension(Simulcast.RTP_STREAM_ID).orElseThrow().id());
        assertTrue(video.sources().isEmpty(), "rid simulcast: the layers' SSRCs come from the packets");
        assertTrue(video.sourceGroups().isEmpty());
        assertEquals("VP8", video.codecs().get(0).name());
        assertEquals(40000, video.candidates().get(0).port());
        assertEquals(2, SimulcastLayers.janusSubstream(SimulcastLayers.LAYERS.get(0)), "hml: f is substream 2");
        assertEquals(0, SimulcastLayers.janusSubstream(SimulcastLayers.LAYERS.get(2)), "and q substream 0");
    }

    @Test
    void janusAnswerMakesThePublisherTheDtlsServerAndIceControlling() throws Exception {
        JanusSdp.Remote janus = JanusSdp.parse(JANUS_ANSWER);

        assertEquals("UXqY", janus.transport().ufrag());
        assertEquals("4Zwr98zKJjHz3Iv7sCyPsj", janus.transport().pwd());
        assertEquals(SetupRole.ACTIVE, janus.transport().fingerprints().get(0).setup());
        assertEquals("127.0.0.2", janus.transport().candidates().get(0).ip());
        assertEquals(53418, janus.transport().candidates().get(0).port());
        assertFalse(janus.transport().iceLite());
        assertTrue(janus.streams().isEmpty(), "a recvonly answer sends nothing");
        assertEquals(DtlsRole.SERVER, JanusSdp.dtlsRole(SetupRole.ACTIVE));
        assertEquals(IceRole.CONTROLLING, JanusSdp.iceRole(false, false));
    }

    @Test
    void subscriberOfferGivesEachLinesMediaSsrcAndMakesTheSubscriberControlledClient() throws Exception {
        JanusSdp.Remote janus = JanusSdp.parse(JANUS_SUBSCRIBER_OFFER);

        assertEquals(List.of(new JanusSdp.Stream("0", 2490118012L, 96), new JanusSdp.Stream("1", 2620270536L, 96)),
                janus.streams(), "the FID group's first SSRC, not its retransmission SSRC");
        assertEquals(SetupRole.ACTPASS, janus.transport().fingerprints().get(0).setup());
        assertEquals(DtlsRole.CLIENT, JanusSdp.dtlsRole(SetupRole.ACTPASS));
        assertEquals(IceRole.CONTROLLED, JanusSdp.iceRole(true, false));
        assertEquals(IceRole.CONTROLLING, JanusSdp.iceRole(true, true), "a full agent controls an ICE-lite one");
    }

    @Test
    void subscriberAnswerReceivesEveryLineActiveWithVp8Only() throws Exception {
        JanusSdp.Remote janus = JanusSdp.parse(JANUS_SUBSCRIBER_OFFER);
        SessionDescription answer = new SdpParser().parse(JanusSdp.subscriberAnswer(LOCAL, janus.sdp()));

        assertEquals(List.of("0", "1"), answer.bundleMids());
        for (MediaSection m : answer.media()) {
            assertEquals(Direction.RECVONLY, m.direction());
            assertEquals(SetupRole.ACTIVE, m.setup());
            assertEquals(List.of("96"), m.formats(), "no RTX: retransmissions are not part of the measurement");
            assertTrue(m.headerExtensions().isEmpty());
            assertTrue(m.sources().isEmpty());
            assertEquals(40000, m.candidates().get(0).port());
        }
    }

    @Test
    void janusSdpWithoutCandidatesIsRefused() {
        String noCandidate = JANUS_ANSWER.replaceAll("a=candidate:[^\\r]*\\r\\n", "");
        assertThrows(SdpParseException.class, () -> JanusSdp.parse(noCandidate));
    }

    private static String crlf(String text) {
        return text.strip().replace("\n", "\r\n") + "\r\n";
    }
}
