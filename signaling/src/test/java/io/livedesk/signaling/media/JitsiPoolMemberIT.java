package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.jvb.StrictVideobridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A signaling node with a bridge that keeps Jitsi Videobridge's rules as its only pool member
 * ({@link StrictVideobridge}): a customer's offer is answered, the conference is named by a bare JID, the bridge
 * is told the DTLS role the browser takes, and what it is told of codecs and header extensions is exactly what the
 * browser was answered (a real one told of transport-cc that the browser was not answered with starves its video).
 */
@Timeout(60)
class JitsiPoolMemberIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** Chromium's audio section with what the bridge does not take: RED, CN, DTMF, abs-capture-time. */
    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051337 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS s1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 13 126",
            "c=IN IP4 127.0.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2113937151 127.0.0.1 40000 typ host generation 0",
            "a=ice-ufrag:jv1x",
            "a=ice-pwd:jitsipoolmemberit01234567",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 3A:1F:0C:6E:55:21:9B:7D:1C:2E:8A:4F:90:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33",
            "a=setup:actpass",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
            "a=sendrecv",
            "a=msid:s1 t1",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=fmtp:63 111/111",
            "a=rtpmap:13 CN/8000",
            "a=rtpmap:126 telephone-event/8000",
            "a=ssrc:1001 cname:jitsipoolmemberit",
            "a=ssrc:1001 msid:s1 t1",
            "");

    @Test
    void aCallsConferenceIsCreatedAsJitsiVideobridgeRequiresAndTheBridgeIsToldWhatTheBrowserWasAnswered()
            throws Exception {
        try (StrictVideobridge jvb = new StrictVideobridge();
             TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge",
                     "livedesk.bridge.remote", List.of(jvb.url().toString()),
                     "livedesk.bridge.health-interval", "200ms"));
             BridgeCall call = BridgeCall.start(node, "jvb1")) {
            await("the bridge is checked and up").atMost(WAIT).until(() -> node.get("/metrics", null).body()
                    .contains("livedesk_media_bridge_up{bridge=\"" + MemberBridge.idOf(jvb.url()) + "\"} 1.0"));

            String answer = call.offerAudio(OFFER);
            assertTrue(answer.contains("a=ice-ufrag:2cn8"), "answered with the bridge's transport:\n" + answer);

            JsonNode create = jvb.requests().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow().body();
            assertEquals(call.callId() + "@livedesk.internal", create.path("name").asText());
            JsonNode endpoint = jvb.endpoint(call.callId(), create.path("endpoints").get(0).path("id").asText());
            assertEquals("active", endpoint.path("transport").path("transport").path("fingerprints").get(0)
                    .path("setup").asText(), "the role the browser takes, not its offer's actpass");

            MediaSection answered = new SdpParser().parse(answer).media().get(0);
            JsonNode told = endpoint.path("medias").get(0);
            Set<String> toldCodecs = new TreeSet<>();
            Set<String> toldFeedback = new TreeSet<>();
            for (JsonNode pt : told.path("payload-types")) {
                toldCodecs.add(pt.path("id").asText() + " " + pt.path("name").asText());
                for (JsonNode fb : pt.path("rtcp-fbs")) {
                    toldFeedback.add(pt.path("id").asText() + " " + fb.path("type").asText());
                }
            }
            Set<String> answeredCodecs = new TreeSet<>();
            Set<String> answeredFeedback = new TreeSet<>();
            answered.codecs().forEach(c -> {
                answeredCodecs.add(c.payloadType() + " " + c.name());
                c.feedback().forEach(f -> answeredFeedback.add(c.payloadType() + " " + f.type()));
            });
            assertEquals(answeredCodecs, toldCodecs);
            assertEquals(answeredFeedback, toldFeedback);
            assertTrue(toldFeedback.contains("111 transport-cc"), "transport-cc on both sides: " + toldFeedback);

            List<String> toldExtensions = new ArrayList<>();
            told.path("rtp-hdrexts").forEach(e -> toldExtensions.add(e.path("id").asInt() + " " + e.path("uri").asText()));
            List<String> answeredExtensions = answered.headerExtensions().stream().map(e -> e.id() + " " + e.uri()).toList();
            assertEquals(answeredExtensions, toldExtensions);
            assertFalse(toldExtensions.toString().contains("abs-capture-time"), toldExtensions.toString());

            call.hangUp();
            await("hanging up expires the conference").atMost(WAIT).until(() -> jvb.conferences().isEmpty());
        }
    }
}
