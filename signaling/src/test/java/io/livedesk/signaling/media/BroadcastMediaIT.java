package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A livestream on a real node with its in-process bridge, on real sockets: the host's page and two viewers'
 * pages are synthetic browsers (real ICE, DTLS and SRTP on loopback) whose offers go through the node's
 * {@link BroadcastMedia} and whose answers arrive on their WebSockets. The host's media reaches both viewers,
 * the host is asked for a keyframe when they connect, and what a viewer sends (on its own SSRC, or on the
 * host's) reaches no one: the bridge counts it as receive-only and drops it.
 */
@Timeout(90)
class BroadcastMediaIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int HOST = 1;
    private static final int ANN = 2;
    private static final int BO = 3;
    /** The host's page is {@code BrowserOffer.of(.., 1)}: audio 11, video 12 (RTX 13). */
    private static final long HOST_AUDIO = 11;
    private static final long HOST_VIDEO = 12;

    @Test
    void theHostsMediaReachesTwoViewersAndAViewersMediaReachesNoOne() throws Exception {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "bridge",
                "livedesk.bridge.port", TestNode.freeUdpPort()));
             SyntheticBrowser hostPage = new SyntheticBrowser("host", HOST);
             SyntheticBrowser annPage = new SyntheticBrowser("ann", ANN);
             SyntheticBrowser boPage = new SyntheticBrowser("bo", BO)) {
            WsClient host = node.signIn(node.staffToken("host-lin", "Lin Wei", List.of("loans"), List.of("en"), 1));
            WsClient ann = node.signIn(node.customerToken("viewer-ann", "Ann"));
            WsClient bo = node.signIn(node.customerToken("viewer-bo", "Bo"));
            long now = System.currentTimeMillis();
            Broadcast broadcast = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"),
                    "Saving for your first home", "", "en", "loans", now, null).wentLive(now, node.nodeId());
            BroadcastMedia media = node.node().broadcastMedia();

            media.offer(broadcast, Subject.of("host-lin"),
                    new ClientMessage.Sdp("offer", hostPage.offer(BrowserOffer.of("unused", 1))), "s1");
            hostPage.connect(answer(host));
            for (var viewer : List.of(Map.entry(ann, annPage), Map.entry(bo, boPage))) {
                String subject = viewer.getKey() == ann ? "viewer-ann" : "viewer-bo";
                media.offer(broadcast, Subject.of(subject), new ClientMessage.Sdp("offer",
                        viewer.getValue().offer(BrowserOffer.receiveOnly("unused", viewer.getKey() == ann ? 5 : 6))), "s2");
                String answer = answer(viewer.getKey());
                assertTrue(answer.contains("a=sendonly") && answer.contains("a=ssrc:" + HOST_VIDEO + " "), answer);
                assertFalse(answer.contains("a=recvonly") || answer.contains("a=sendrecv"), answer);
                viewer.getValue().connect(answer);
            }

            // The host's audio and video reach both viewers.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                hostPage.sendRtp(HOST_AUDIO, 111);
                hostPage.sendRtp(HOST_VIDEO, 96);
                return annPage.receivedFrom(HOST) >= 40 && boPage.receivedFrom(HOST) >= 40;
            });
            // Both viewers' transports connecting asked the host for a keyframe: one request, or two when the
            // second connected after the first request's window; never one per packet or per check.
            await().atMost(WAIT).until(() -> hostPage.keyframeRequests() >= 1);
            assertTrue(hostPage.keyframeRequests() <= 2, "keyframe requests: " + hostPage.keyframeRequests());

            // A viewer sends anyway, on an SSRC of its own and on the host's: nobody gets any of it.
            int sent = 0;
            for (int i = 0; i < 50; i++) {
                annPage.sendRtp(0x5151, 111);
                annPage.sendRtp(HOST_AUDIO, 111);
                sent += 2;
            }
            MeetingId meeting = BroadcastMeetings.meetingOf(broadcast.id());
            int expected = sent;
            await().atMost(WAIT).until(() -> dropped(node, meeting, "viewer-1", "receive-only") >= expected);
            assertEquals(expected, dropped(node, meeting, "viewer-1", "receive-only"));
            assertEquals(0, hostPage.received(), "the host received something");
            assertEquals(0, boPage.receivedFrom(ANN), "the other viewer received the viewer's packets");
            assertEquals(0, annPage.receivedFrom(ANN));
            ConferenceStats stats = node.node().bridge().conferenceStats(meeting);
            assertEquals(List.of("host", "viewer-1", "viewer-2"), stats.endpoints().stream().map(EndpointStats::id).toList());

            media.ended(broadcast.ended(System.currentTimeMillis()));
            assertEquals(0, node.node().bridge().stats().conferences());
        }
    }

    private static String answer(WsClient client) {
        JsonNode signal = client.await(m -> "broadcast.signal".equals(type(m))
                && "answer".equals(m.path("sdp").path("type").asText()), WAIT);
        return signal.path("sdp").path("sdp").asText();
    }

    private static long dropped(TestNode node, MeetingId meeting, String endpointId, String reason) throws Exception {
        return node.node().bridge().conferenceStats(meeting).endpoints().stream()
                .filter(e -> e.id().equals(endpointId)).findFirst().orElseThrow()
                .dropped().getOrDefault(reason, 0L);
    }
}
