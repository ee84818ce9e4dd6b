package io.livedesk.signaling.media;

import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.Source;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.live.Broadcast;
import io.livedesk.signaling.live.BroadcastId;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BridgeBroadcastMedia} spreading a broadcast over bridges, against a {@link io.livedesk.signaling.testing.FakeBridge}
 * that keeps relays, one viewer per bridge: which carrier a viewer lands on, what the relays list of the stage and
 * when, and what is refused. Which pool member takes a carrier is {@link BridgePool}'s (BridgePoolTest).
 */
class SpreadBroadcastMediaTest {
    private static final BrowserOffer HOST_PAGE = BrowserOffer.of("hostpage", 1);
    private static final BrowserOffer COHOST_PAGE = BrowserOffer.of("cohostpage", 2);

    private final CallFlowFixture fx = CallFlowFixture.bridged();
    private final OtherBridges others = new OtherBridges();
    private BridgeBroadcastMedia media;
    private EmbeddedClient host;
    private Broadcast broadcast;
    private String first;
    private String second;
    private int requests;

    /** Another bridge is there while {@code available}; carriers are created on the fake bridge, as the pool would. */
    private final class OtherBridges implements CarrierBridges {
        boolean available = true;
        final List<Set<MeetingId>> heldAtCreation = new ArrayList<>();

        @Override
        public boolean takesConferenceBesides(Collection<MeetingId> held) {
            return available;
        }

        @Override
        public ConferenceReply createBesides(ConferenceRequest create, Collection<MeetingId> held)
                throws BridgeException {
            heldAtCreation.add(Set.copyOf(held));
            return fx.bridge.apply(create);
        }
    }

    @BeforeEach
    void liveBroadcast() {
        media = new BridgeBroadcastMedia(fx.bridge, fx.router, ViewerPlacement.spreading(1, 3), others);
        host = fx.signIn(staff("host-lin"));
        broadcast = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Saving for your first home", "",
                "en", "loans", CallFlowFixture.T0.toEpochMilli(), null).wentLive(CallFlowFixture.T0.toEpochMilli(), "node-a");
        first = BroadcastMeetings.meetingOf(broadcast.id()).value();
        second = BroadcastMeetings.meetingOf(broadcast.id(), 2).value();
    }

    private EmbeddedClient viewer(String id) {
        return fx.signIn(customer(id));
    }

    private void offer(EmbeddedClient from, BrowserOffer page) {
        media.offer(broadcast, Subject.of(from.subject()), new ClientMessage.Sdp("offer", page.sdp()), "s" + ++requests);
    }

    private static BrowserOffer viewerPage(int seed) {
        return BrowserOffer.receiveOnly("viewer" + seed, seed);
    }

    private List<Long> listedSsrcs(String meeting, String relay, String endpoint) {
        return fx.bridge.relaysOf(meeting).get(relay).get(endpoint).stream().flatMap(s -> s.ssrcs().stream())
                .map(MediaSource.Ssrc::ssrc).toList();
    }

    private static List<Long> answeredSsrcs(EmbeddedClient client) throws Exception {
        String sdp = client.lastOf("broadcast.signal").path("sdp").path("sdp").asText();
        List<Long> out = new ArrayList<>();
        for (MediaSection m : new SdpParser().parse(sdp).media()) {
            m.sources().stream().map(Source::ssrc).forEach(out::add);
        }
        return out;
    }

    private static void assertRefused(ErrorCode code, org.junit.jupiter.api.function.Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void aViewerBeyondTheFirstBridgesShareGoesOnANewCarrierJoinedByARelayListingTheStage() throws Exception {
        offer(host, HOST_PAGE);
        offer(viewer("viewer-ann"), viewerPage(5));
        assertTrue(fx.bridge.relaysOf(first).isEmpty(), "one bridge is enough so far");
        EmbeddedClient bo = viewer("viewer-bo");

        offer(bo, viewerPage(6));

        assertEquals(List.of(Set.of(new MeetingId(first))), others.heldAtCreation, "away from the first carrier");
        assertEquals(List.of("viewer-2"), fx.bridge.endpoints(second));
        assertEquals(List.of("host", "viewer-1"), fx.bridge.endpoints(first));
        assertEquals(Set.of("carrier-2"), fx.bridge.relaysOf(first).keySet());
        assertEquals(Map.of(), fx.bridge.relaysOf(first).get("carrier-2"), "viewers send nothing back");
        assertEquals(List.of(11L, 12L, 13L), listedSsrcs(second, "carrier-1", "host"));
        assertTrue(answeredSsrcs(bo).containsAll(List.of(11L, 12L)), "answered with the host's tracks as on the first");

        // The relays were created as protocol.md says: the first side controlling, each given the other's transport.
        List<RelayRequest> relayRequests = fx.bridge.requests().stream().flatMap(r -> r.relays().stream()).toList();
        assertEquals(4, relayRequests.size());
        assertTrue(relayRequests.get(0).create() && !relayRequests.get(0).iceControlling());
        assertTrue(relayRequests.get(1).create() && relayRequests.get(1).iceControlling());
        assertTrue(relayRequests.get(2).remoteTransport() != null && relayRequests.get(3).remoteTransport() != null);
        assertEquals(1, media.relaysCreated());
        assertEquals(2, media.carriers());
        assertEquals(1, media.spreadBroadcasts());
    }

    @Test
    void theLeastLoadedCarrierTakesTheNextViewerAndAtTheMostBridgesViewersAreRefused() throws Exception {
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("viewer-ann");
        offer(ann, viewerPage(5));
        offer(viewer("viewer-bo"), viewerPage(6));
        media.left(broadcast, Subject.of("viewer-ann"));

        offer(viewer("viewer-cy"), viewerPage(7));
        assertEquals(List.of("host", "viewer-3"), fx.bridge.endpoints(first), "room again on the first");

        offer(viewer("viewer-di"), viewerPage(8));
        String third = BroadcastMeetings.meetingOf(broadcast.id(), 3).value();
        assertEquals(List.of("viewer-4"), fx.bridge.endpoints(third));
        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(viewer("viewer-ed"), viewerPage(9)));
    }

    @Test
    void withNoOtherBridgeAFullBroadcastRefusesViewers() {
        others.available = false;
        offer(host, HOST_PAGE);
        offer(viewer("viewer-ann"), viewerPage(5));
        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(viewer("viewer-bo"), viewerPage(6)));
        assertFalse(fx.bridge.hasConference(second));
    }

    @Test
    void theRelayFollowsTheStageAGuestCalledOnStageAndAReloadedHostPage() throws Exception {
        offer(host, HOST_PAGE);
        offer(viewer("viewer-ann"), viewerPage(5));
        EmbeddedClient bo = viewer("viewer-bo");
        offer(bo, viewerPage(6));
        bo.clear();

        // Bo, on the second carrier, is called on stage: the leg moves to the first, and the relay lists it.
        broadcast = broadcast.withCoHost(Subject.of("viewer-bo"));
        offer(bo, COHOST_PAGE);
        assertEquals(List.of(), fx.bridge.endpoints(second), "no longer a viewer there");
        assertEquals(List.of("host", "viewer-1", "cohost-1"), fx.bridge.endpoints(first));
        assertEquals(List.of(21L, 22L, 23L), listedSsrcs(second, "carrier-1", "cohost-1"));

        // The host reloads the page (same tracks, a new endpoint): the old is expired on the relay before the new
        // one is listed, as the bridge refuses an SSRC two remote endpoints declare.
        offer(host, BrowserOffer.of("hostpage2", 1));
        assertEquals(Set.of("host-2", "cohost-1"), fx.bridge.relaysOf(second).get("carrier-1").keySet());
        assertEquals(List.of(11L, 12L, 13L), listedSsrcs(second, "carrier-1", "host-2"));

        // The guest leaves the stage.
        broadcast = broadcast.withoutCoHost(Subject.of("viewer-bo"));
        media.left(broadcast, Subject.of("viewer-bo"));
        assertEquals(Set.of("host-2"), fx.bridge.relaysOf(second).get("carrier-1").keySet());
    }

    @Test
    void aRidSimulcastHostIsListedOnTheRelayAsOnItsOwnBridgeSoViewersBehindItGetTheSameSsrc() throws Exception {
        // The host's video simulcast by rid: no a=ssrc lines, its receivers are told of one SSRC made from the track.
        String simulcast = HOST_PAGE.sdp().replaceAll("a=ssrc-group:FID 12 13\r\n", "")
                .replaceAll("a=ssrc:1[23] [^\r]*\r\n", "")
                .replace("a=fmtp:97 apt=96", "a=fmtp:97 apt=96\r\na=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
                        + "\r\na=rid:h send\r\na=rid:l send\r\na=simulcast:send h;l");
        media.offer(broadcast, Subject.of("host-lin"), new ClientMessage.Sdp("offer", simulcast), "s0");
        offer(viewer("viewer-ann"), viewerPage(5));
        EmbeddedClient bo = viewer("viewer-bo");
        offer(bo, viewerPage(6));

        List<MediaSource> onFirst = fx.bridge.sourcesOf(first, "host").orElseThrow();
        assertTrue(onFirst.stream().anyMatch(m -> m.rids().equals(List.of("h", "l"))), onFirst.toString());
        assertEquals(onFirst, fx.bridge.relaysOf(second).get("carrier-1").get("host"), "the same sources, rids and all");
        long receiverSsrc = io.livedesk.media.bridge.BridgeSdp.receiverSsrc("video-1");
        assertTrue(answeredSsrcs(bo).contains(receiverSsrc), "the viewer behind the relay is told of the same SSRC");
    }

    @Test
    void aLostSecondCarrierIsDroppedAndItsViewersOfferAgainOntoANewOne() throws Exception {
        offer(host, HOST_PAGE);
        offer(viewer("viewer-ann"), viewerPage(5));
        EmbeddedClient bo = viewer("viewer-bo");
        offer(bo, viewerPage(6));
        fx.bridge.expire(new MeetingId(second)); // as the pool forgets a lost bridge's conferences

        media.conferencesLost(Set.of(new MeetingId(second)));

        assertTrue(fx.bridge.relaysOf(first).isEmpty(), "the relay to the lost bridge is expired");
        assertEquals(1, bo.received("broadcast.renegotiate").size());
        assertEquals(1, media.carriers());
        offer(bo, viewerPage(6));
        String third = BroadcastMeetings.meetingOf(broadcast.id(), 3).value();
        assertEquals(List.of("viewer-3"), fx.bridge.endpoints(third), "placed afresh, on a new carrier");
    }

    @Test
    void endingExpiresEveryCarrier() {
        offer(host, HOST_PAGE);
        offer(viewer("viewer-ann"), viewerPage(5));
        offer(viewer("viewer-bo"), viewerPage(6));

        media.ended(broadcast.ended(CallFlowFixture.T0.toEpochMilli()));

        assertEquals(List.of(second, first), fx.bridge.expiredConferences());
        assertEquals(0, media.carriers());
    }
}
