package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.LocalConnections;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import io.livedesk.signaling.testing.FakeBridge;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Livestream media work arriving on a node that does not hold the broadcast's media: the browsers are
 * connected to {@code node-a} (the fixture's node), the broadcast went live on {@code node-m}, which has its
 * own bridge and no connections. Offers, leaves and the end travel over the (in-process) cluster bus to
 * node-m and run on its workers; answers and errors come back to the browsers on node-a, errors with the id
 * of the request they refuse.
 */
class ClusterBroadcastMediaTest {
    private static final String MEDIA_NODE = "node-m";
    private static final BrowserOffer HOST_PAGE = BrowserOffer.of("hostpage", 1);

    private final CallFlowFixture fx = CallFlowFixture.bridged();
    private final FakeBridge mediaNodeBridge = new FakeBridge();
    /** node-m's workers: tasks are queued here and run when the test says, as a worker would later. */
    private final List<Runnable> mediaNodeWork = new ArrayList<>();
    private BroadcastMedia onNodeA;
    private EmbeddedClient host;
    private EmbeddedClient ann;
    private Broadcast broadcast;

    @BeforeEach
    void twoNodes() {
        MessageRouter mediaNodeRouter = new MessageRouter(MEDIA_NODE, new LocalConnections(), fx.sessionStore, fx.bus,
                fx.codec);
        Executor workers = mediaNodeWork::add;
        ClusterBroadcastMedia.on(new BridgeBroadcastMedia(mediaNodeBridge, mediaNodeRouter,
                ViewerPlacement.singleConference(1)), MEDIA_NODE, fx.bus, fx.codec.mapper(), mediaNodeRouter, workers);
        mediaNodeRouter.start();
        onNodeA = ClusterBroadcastMedia.on(new BridgeBroadcastMedia(fx.bridge, fx.router, ViewerPlacement.singleConference(1)),
                CallFlowFixture.NODE_ID, fx.bus, fx.codec.mapper(), fx.router, Runnable::run);
        host = fx.signIn(staff("host-lin"));
        ann = fx.signIn(customer("viewer-ann"));
        broadcast = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Saving for your first home", "",
                "en", "loans", CallFlowFixture.T0.toEpochMilli(), null).wentLive(CallFlowFixture.T0.toEpochMilli(), MEDIA_NODE);
    }

    private void runMediaNodeWork() {
        List<Runnable> now = List.copyOf(mediaNodeWork);
        mediaNodeWork.clear();
        now.forEach(Runnable::run);
    }

    private void offer(EmbeddedClient from, String sdp, String requestId) {
        onNodeA.offer(broadcast, Subject.of(from.subject()), new ClientMessage.Sdp("offer", sdp), requestId);
    }

    @Test
    void anOfferOnAnotherNodeIsAnsweredByTheMediaNodesBridgeOnItsWorkers() {
        offer(host, HOST_PAGE.sdp(), "s1");
        assertTrue(host.received().isEmpty(), "handed over, not answered on the caller's thread");
        assertTrue(fx.bridge.requests().isEmpty(), "node-a's own bridge is not asked");

        runMediaNodeWork();

        String meeting = BroadcastMeetings.meetingOf(broadcast.id()).value();
        assertEquals(List.of("host"), mediaNodeBridge.endpoints(meeting));
        JsonNode answer = host.lastOf("broadcast.signal");
        assertTrue(answer.path("sdp").path("sdp").asText().contains("a=ice-ufrag:" + FakeBridge.ufragOf("host")), answer.toString());
        assertTrue(fx.bridge.requests().isEmpty());

        offer(ann, BrowserOffer.of("annpage", 5).sdp(), "s2");
        runMediaNodeWork();
        assertTrue(ann.lastOf("broadcast.signal").path("sdp").path("sdp").asText().contains("a=ssrc:11 "));

        onNodeA.view(broadcast, Subject.of("viewer-ann"), 180);
        assertTrue(mediaNodeBridge.endpointRequests().stream().noneMatch(r -> r.maxVideoHeight() != null),
                "handed over, not applied on the caller's thread");
        runMediaNodeWork();
        assertTrue(mediaNodeBridge.endpointRequests().stream().anyMatch(r -> Integer.valueOf(180).equals(r.maxVideoHeight())),
                "the view size reaches the media node's bridge");

        onNodeA.left(broadcast, Subject.of("viewer-ann"));
        runMediaNodeWork();
        assertEquals(List.of("host"), mediaNodeBridge.endpoints(meeting));

        onNodeA.ended(broadcast.ended(CallFlowFixture.T0.toEpochMilli() + 1000));
        runMediaNodeWork();
        assertEquals(List.of(meeting), mediaNodeBridge.expiredConferences());
    }

    @Test
    void refusalsOnTheMediaNodeReachTheBrowserAsErrorsWithTheRequestsId() {
        offer(ann, "v=0\r\nnot sdp\r\n", "s7");
        runMediaNodeWork();
        assertError(ann, "s7", ErrorCode.BAD_SDP);

        offer(ann, BrowserOffer.of("annpage", 5).sdp(), "s8");
        runMediaNodeWork();
        EmbeddedClient bo = fx.signIn(customer("viewer-bo"));
        offer(bo, BrowserOffer.of("bopage", 6).sdp(), "s9");
        runMediaNodeWork();
        assertError(bo, "s9", ErrorCode.BROADCAST_FULL);

        mediaNodeBridge.failWith(new io.livedesk.media.api.BridgeException.Unavailable("connection refused", null));
        offer(host, HOST_PAGE.sdp(), "s10");
        runMediaNodeWork();
        assertError(host, "s10", ErrorCode.UNAVAILABLE);
    }

    @Test
    void aBroadcastHeldHereIsServedHereAndOneNotLiveIsRefusedAtOnce() {
        broadcast = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Here", "", "en", "loans",
                CallFlowFixture.T0.toEpochMilli(), null);
        ProtocolException e = assertThrows(ProtocolException.class, () -> offer(host, HOST_PAGE.sdp(), "s1"));
        assertEquals(ErrorCode.INVALID_STATE, e.code());

        broadcast = broadcast.wentLive(CallFlowFixture.T0.toEpochMilli(), CallFlowFixture.NODE_ID);
        offer(host, HOST_PAGE.sdp(), "s2");
        assertTrue(mediaNodeWork.isEmpty(), "nothing handed over");
        assertEquals(List.of("host"), fx.bridge.endpoints(BroadcastMeetings.meetingOf(broadcast.id()).value()));
        host.lastOf("broadcast.signal");
    }

    @Test
    void withoutABridgeEveryNodeRefusesAndNothingIsHandedOver() {
        BroadcastMedia none = ClusterBroadcastMedia.on(BroadcastMedia.NONE, "node-p", fx.bus, fx.codec.mapper(), fx.router,
                Runnable::run);
        ProtocolException e = assertThrows(ProtocolException.class, () -> none.offer(broadcast, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", HOST_PAGE.sdp()), "s1"));
        assertEquals(ErrorCode.NOT_SUPPORTED, e.code());
        assertTrue(mediaNodeWork.isEmpty());
    }

    private static void assertError(EmbeddedClient client, String requestId, ErrorCode code) {
        JsonNode error = client.lastOf("error");
        assertEquals(requestId, error.path("id").asText(), error.toString());
        assertEquals(code.wire(), error.path("code").asText(), error.toString());
        assertTrue(client.received("broadcast.signal").stream().noneMatch(m -> requestId.equals(m.path("id").asText())));
    }
}
