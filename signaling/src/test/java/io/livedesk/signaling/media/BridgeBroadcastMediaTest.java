package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.sdp.Direction;
import io.livedesk.media.sdp.MediaSection;
import io.livedesk.media.sdp.SdpParser;
import io.livedesk.media.sdp.SessionDescription;
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
import io.livedesk.signaling.testing.FakeBridge;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BridgeBroadcastMedia} on the broadcast's media node, against a {@link FakeBridge}: what each browser
 * on stage and in the audience is answered and asked to offer again, what the bridge is asked, and the cap on
 * viewers. Offers are {@link BrowserOffer}s: the host's tracks have SSRCs 11/12 (RTX 13), the co-host's 21/22,
 * a viewer page's own (never forwarded) 5x, 6x, ... .
 */
class BridgeBroadcastMediaTest {
    private static final int CAP = 3;
    private static final BrowserOffer HOST_PAGE = BrowserOffer.of("hostpage", 1);
    private static final BrowserOffer COHOST_PAGE = BrowserOffer.of("cohostpage", 2);

    private final CallFlowFixture fx = CallFlowFixture.bridged();
    private final SdpParser parser = new SdpParser();
    private BridgeBroadcastMedia media;
    private EmbeddedClient host;
    private EmbeddedClient cohost;
    private Broadcast broadcast;
    private String meeting;
    private int requests;

    @BeforeEach
    void liveBroadcast() {
        media = new BridgeBroadcastMedia(fx.bridge, fx.router, ViewerPlacement.singleConference(CAP));
        host = fx.signIn(staff("host-lin"));
        cohost = fx.signIn(staff("cohost-chen"));
        broadcast = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Saving for your first home", "",
                "en", "loans", CallFlowFixture.T0.toEpochMilli(), null).wentLive(CallFlowFixture.T0.toEpochMilli(), "node-a");
        meeting = BroadcastMeetings.meetingOf(broadcast.id()).value();
    }

    private EmbeddedClient viewer(String id) {
        return fx.signIn(customer(id));
    }

    private void offer(EmbeddedClient from, BrowserOffer page) {
        media.offer(broadcast, Subject.of(from.subject()), new ClientMessage.Sdp("offer", page.sdp()), "s" + ++requests);
    }

    /** A viewer's page: its own camera and microphone on sendrecv sections, as a careless page would offer. */
    private static BrowserOffer viewerPage(int seed) {
        return BrowserOffer.of("viewer" + seed, seed);
    }

    private SessionDescription answerTo(EmbeddedClient client) throws Exception {
        JsonNode signal = client.lastOf("broadcast.signal");
        assertEquals(broadcast.id().value(), signal.path("broadcastId").asText());
        assertEquals("answer", signal.path("sdp").path("type").asText());
        return parser.parse(signal.path("sdp").path("sdp").asText());
    }

    private static List<Long> ssrcs(MediaSection m) {
        return m.sources().stream().map(Source::ssrc).toList();
    }

    private static void assertSlots(JsonNode renegotiate, int audio, int video) {
        assertEquals(audio, renegotiate.path("receive").path("audio").asInt(), renegotiate.toString());
        assertEquals(video, renegotiate.path("receive").path("video").asInt(), renegotiate.toString());
    }

    private static void assertRefused(ErrorCode code, org.junit.jupiter.api.function.Executable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void aViewersSendrecvOfferIsAnsweredSendOnlyWithTheHostsTracksAndItsEndpointHasNoSources() throws Exception {
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("viewer-ann");

        offer(ann, viewerPage(5).receiving(2, 2));

        SessionDescription answer = answerTo(ann);
        List<MediaSection> sections = answer.media();
        assertEquals(4, sections.size());
        for (MediaSection m : sections) {
            assertTrue(m.direction() == Direction.SENDONLY || m.direction() == Direction.INACTIVE,
                    "a viewer's section " + m.mid() + " is " + m.direction());
            assertFalse(m.isRejected(), m.mid());
        }
        assertEquals(Direction.SENDONLY, sections.get(0).direction());
        assertEquals(List.of(11L), ssrcs(sections.get(0)), "the host's audio");
        assertEquals(Direction.INACTIVE, sections.get(1).direction(), "no second audio track on stage");
        assertEquals(Direction.SENDONLY, sections.get(2).direction());
        assertEquals(List.of(12L, 13L), ssrcs(sections.get(2)), "the host's video with its RTX");
        assertEquals(Direction.INACTIVE, sections.get(3).direction());
        assertEquals(List.of(), fx.bridge.sourcesOf(meeting, "viewer-1").orElseThrow(),
                "the viewer's own tracks are never declared to the bridge");
        EndpointRequest created = fx.bridge.endpointRequests().get(fx.bridge.endpointRequests().size() - 1);
        assertTrue(created.create() && created.sources().isEmpty(), created.toString());
        assertEquals(List.of("host", "viewer-1"), fx.bridge.endpoints(meeting));
        assertTrue(ann.received("broadcast.renegotiate").isEmpty(), "every stage track found a section");
        assertTrue(host.received("broadcast.renegotiate").isEmpty(), "a viewer changes nothing for the stage");
    }

    @Test
    void aViewersViewSizeReachesItsEndpointOnceAndANewEndpointKeepsIt() {
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("viewer-ann");
        media.view(broadcast, Subject.of("viewer-ann"), 270);
        assertTrue(fx.bridge.endpointRequests().stream().noneMatch(r -> r.maxVideoHeight() != null),
                "no leg yet: nothing to tell");

        offer(ann, viewerPage(5));
        media.view(broadcast, Subject.of("viewer-ann"), 270);
        media.view(broadcast, Subject.of("viewer-ann"), 270);
        List<EndpointRequest> views = fx.bridge.endpointRequests().stream().filter(r -> r.maxVideoHeight() != null).toList();
        assertEquals(1, views.size(), "the same size is told once");
        assertEquals("viewer-1", views.get(0).id());
        assertEquals(270, views.get(0).maxVideoHeight());

        media.view(broadcast, Subject.of("viewer-ann"), 0);
        assertEquals(0, fx.bridge.endpointRequests().get(fx.bridge.endpointRequests().size() - 1).maxVideoHeight(),
                "no limit any more");
        media.view(broadcast, Subject.of("nobody"), 90); // not in the broadcast: nothing happens
    }

    @Test
    void aViewerWhoCameBeforeTheHostIsAskedToOfferAgainWhenTheHostSends() throws Exception {
        EmbeddedClient ann = viewer("viewer-ann");
        offer(ann, viewerPage(5));
        for (MediaSection m : answerTo(ann).media()) {
            assertEquals(Direction.INACTIVE, m.direction(), "nothing on stage yet: " + m.mid());
        }
        ann.clear();

        offer(host, HOST_PAGE);

        assertSlots(ann.lastOf("broadcast.renegotiate"), 1, 1);
        ann.clear();
        offer(ann, viewerPage(5));
        assertEquals(List.of(11L), ssrcs(answerTo(ann).media().get(0)));
        assertTrue(ann.received("broadcast.renegotiate").isEmpty());
    }

    @Test
    void stageMembersReceiveEachOthersTracksAndAreAskedToOfferAgainWhenACoHostComes() throws Exception {
        offer(host, HOST_PAGE);
        SessionDescription alone = answerTo(host);
        assertEquals(Direction.RECVONLY, alone.media().get(0).direction(), "the host sends; nobody to receive yet");
        assertEquals(List.of(), ssrcs(alone.media().get(0)));
        broadcast = broadcast.withCoHost(Subject.of("cohost-chen"));

        offer(cohost, COHOST_PAGE);

        SessionDescription toCohost = answerTo(cohost);
        assertEquals(Direction.SENDRECV, toCohost.media().get(0).direction());
        assertEquals(List.of(11L), ssrcs(toCohost.media().get(0)), "the co-host receives the host");
        assertEquals(List.of(12L, 13L), ssrcs(toCohost.media().get(1)));
        assertEquals(List.of(21L, 22L, 23L), fx.bridge.sourcesOf(meeting, "cohost-1").orElseThrow().stream()
                .flatMap(s -> s.ssrcs().stream()).map(MediaSource.Ssrc::ssrc).toList(), "the co-host's tracks are declared");
        assertSlots(host.lastOf("broadcast.renegotiate"), 1, 1);
        host.clear();

        offer(host, HOST_PAGE);

        SessionDescription toHost = answerTo(host);
        assertEquals(Direction.SENDRECV, toHost.media().get(0).direction());
        assertEquals(List.of(21L), ssrcs(toHost.media().get(0)), "the host receives the co-host, not itself");
        assertEquals(List.of(22L, 23L), ssrcs(toHost.media().get(1)));
        assertTrue(cohost.received("broadcast.renegotiate").isEmpty(), "nothing changed for the co-host");
    }

    @Test
    void viewersReceiveTheStageHostFirstWhoeverOfferedFirst() throws Exception {
        broadcast = broadcast.withCoHost(Subject.of("cohost-chen"));
        offer(cohost, COHOST_PAGE);
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("viewer-ann");

        offer(ann, viewerPage(5));

        SessionDescription first = answerTo(ann);
        assertEquals(List.of(11L), ssrcs(first.media().get(0)), "one section of each kind: the host's");
        assertEquals(List.of(12L, 13L), ssrcs(first.media().get(1)));
        assertSlots(ann.lastOf("broadcast.renegotiate"), 2, 2);
        ann.clear();

        offer(ann, viewerPage(5).receiving(2, 2));

        List<MediaSection> sections = answerTo(ann).media();
        assertEquals(List.of(11L), ssrcs(sections.get(0)));
        assertEquals(List.of(21L), ssrcs(sections.get(1)));
        assertEquals(List.of(12L, 13L), ssrcs(sections.get(2)));
        assertEquals(List.of(22L, 23L), ssrcs(sections.get(3)));
        assertTrue(sections.stream().allMatch(m -> m.direction() == Direction.SENDONLY));
        assertTrue(ann.received("broadcast.renegotiate").isEmpty());
    }

    @Test
    void aCoHostComingAndLeavingAsksEveryViewerAndTheHostToOfferAgain() throws Exception {
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("viewer-ann");
        EmbeddedClient bo = viewer("viewer-bo");
        offer(ann, viewerPage(5).receiving(2, 2));
        offer(bo, viewerPage(6).receiving(2, 2));
        host.clear();
        ann.clear();
        bo.clear();
        broadcast = broadcast.withCoHost(Subject.of("cohost-chen"));

        offer(cohost, COHOST_PAGE);

        for (EmbeddedClient v : List.of(ann, bo)) {
            assertSlots(v.lastOf("broadcast.renegotiate"), 2, 2);
        }
        assertSlots(host.lastOf("broadcast.renegotiate"), 1, 1);
        offer(ann, viewerPage(5).receiving(2, 2));
        offer(bo, viewerPage(6).receiving(2, 2));
        offer(host, HOST_PAGE);
        host.clear();
        ann.clear();
        bo.clear();
        cohost.clear();
        broadcast = broadcast.withoutCoHost(Subject.of("cohost-chen"));

        media.left(broadcast, Subject.of("cohost-chen"));

        assertTrue(fx.bridge.endpointRequests().stream().anyMatch(e -> e.id().equals("cohost-1") && e.expire()));
        assertEquals(List.of("host", "viewer-1", "viewer-2"), fx.bridge.endpoints(meeting));
        for (EmbeddedClient v : List.of(ann, bo)) {
            assertSlots(v.lastOf("broadcast.renegotiate"), 1, 1);
        }
        assertSlots(host.lastOf("broadcast.renegotiate"), 0, 0);
        assertTrue(cohost.received().isEmpty(), "the co-host who left is told nothing here: " + cohost.received());
    }

    @Test
    void aViewerLeavingTellsNobodyAndFreesItsEndpoint() {
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("viewer-ann");
        offer(ann, viewerPage(5));
        host.clear();

        media.left(broadcast, Subject.of("viewer-ann"));

        assertEquals(List.of("host"), fx.bridge.endpoints(meeting));
        assertTrue(host.received().isEmpty());
    }

    @Test
    void viewersBeyondTheCapAreRefusedAndTheCapIsReleasedWhenViewersLeave() {
        offer(host, HOST_PAGE);
        List<EmbeddedClient> audience = List.of(viewer("v-1"), viewer("v-2"), viewer("v-3"));
        for (int i = 0; i < CAP; i++) {
            offer(audience.get(i), viewerPage(5 + i));
        }
        EmbeddedClient late = viewer("v-late");
        int bridgeRequests = fx.bridge.requests().size();

        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(late, viewerPage(9)));
        assertEquals(bridgeRequests, fx.bridge.requests().size(), "nothing asked of the bridge for a refused viewer");
        assertTrue(late.received("broadcast.signal").isEmpty());

        offer(audience.get(0), viewerPage(5)); // a viewer offering again keeps its place
        broadcast = broadcast.withCoHost(Subject.of("cohost-chen"));
        offer(cohost, COHOST_PAGE); // the stage is never refused
        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(late, viewerPage(9)));

        media.left(broadcast, Subject.of("v-2"));
        offer(late, viewerPage(9));
        assertTrue(late.lastOf("broadcast.signal").path("sdp").path("sdp").asText().contains("a=sendonly"));
        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(viewer("v-later"), viewerPage(8)));
    }

    @Test
    void theEndOfTheBroadcastReleasesEveryViewer() {
        offer(host, HOST_PAGE);
        for (int i = 0; i < CAP; i++) {
            offer(viewer("v-" + i), viewerPage(5 + i));
        }
        media.ended(broadcast.ended(CallFlowFixture.T0.toEpochMilli() + 1000));
        assertEquals(List.of(meeting), fx.bridge.expiredConferences());

        // Another broadcast on the same node counts its own viewers from zero.
        broadcast = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Next", "", "en", "loans",
                CallFlowFixture.T0.toEpochMilli(), null).wentLive(CallFlowFixture.T0.toEpochMilli() + 2000, "node-a");
        for (int i = 0; i < CAP; i++) {
            offer(viewer("w-" + i), viewerPage(5 + i));
        }
        assertEquals(CAP, fx.bridge.endpoints(BroadcastMeetings.meetingOf(broadcast.id()).value()).size());
    }

    @Test
    void aViewerCalledOnStageSendsFromItsEndpointAndNoLongerCountsAsAViewer() throws Exception {
        offer(host, HOST_PAGE);
        EmbeddedClient ann = viewer("v-ann");
        offer(ann, viewerPage(5));
        offer(viewer("v-2"), viewerPage(6));
        offer(viewer("v-3"), viewerPage(7));
        host.clear();
        broadcast = broadcast.withCoHost(Subject.of("v-ann"));

        offer(ann, viewerPage(5));

        assertEquals(List.of(51L, 52L, 53L), fx.bridge.sourcesOf(meeting, "viewer-1").orElseThrow().stream()
                .flatMap(s -> s.ssrcs().stream()).map(MediaSource.Ssrc::ssrc).toList(), "its tracks are declared now");
        SessionDescription answer = answerTo(ann);
        assertEquals(Direction.SENDRECV, answer.media().get(0).direction());
        assertSlots(host.lastOf("broadcast.renegotiate"), 1, 1);
        offer(viewer("v-4"), viewerPage(8)); // its place in the audience is free
        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(viewer("v-5"), viewerPage(9)));
    }

    @Test
    void offersForABroadcastThatIsNotLiveOrHasEndedAreRefusedWithoutBuildingAnything() {
        Broadcast scheduled = Broadcast.scheduled(BroadcastId.generate(), Subject.of("host-lin"), "Soon", "", "en",
                "loans", CallFlowFixture.T0.toEpochMilli(), null);
        assertRefused(ErrorCode.INVALID_STATE, () -> media.offer(scheduled, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", HOST_PAGE.sdp()), "s1"));

        offer(host, HOST_PAGE);
        Broadcast seenLive = broadcast;
        media.ended(broadcast.ended(CallFlowFixture.T0.toEpochMilli() + 1000));
        int bridgeRequests = fx.bridge.requests().size();

        // An offer that read the broadcast as live just before it ended.
        assertRefused(ErrorCode.INVALID_STATE, () -> media.offer(seenLive, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", HOST_PAGE.withUfrag("late").sdp()), "s2"));
        assertEquals(bridgeRequests, fx.bridge.requests().size());
        assertFalse(fx.bridge.hasConference(meeting));
    }

    @Test
    void unusableSdpIsBadSdpAndABridgeAwayIsUnavailable() {
        assertRefused(ErrorCode.BAD_SDP, () -> media.offer(broadcast, Subject.of("host-lin"),
                new ClientMessage.Sdp("offer", "v=0\r\nnot sdp\r\n"), "s1"));
        assertRefused(ErrorCode.BAD_SDP, () -> media.offer(broadcast, Subject.of("host-lin"),
                new ClientMessage.Sdp("answer", HOST_PAGE.sdp()), "s2"));
        assertTrue(fx.bridge.requests().isEmpty());

        fx.bridge.failWith(new io.livedesk.media.api.BridgeException.Unavailable("connection refused", null));
        EmbeddedClient ann = viewer("v-ann");
        assertRefused(ErrorCode.UNAVAILABLE, () -> offer(ann, viewerPage(5)));
        fx.bridge.failWith(null);
        for (int i = 0; i < CAP; i++) {
            offer(viewer("v-" + i), viewerPage(6 + i));
        }
        assertRefused(ErrorCode.BROADCAST_FULL, () -> offer(ann, viewerPage(5)));
    }

    @Test
    void meetingsOfBroadcastsAreTheirOwn() {
        BroadcastId id = broadcast.id();
        assertEquals(id, BroadcastMeetings.broadcastOf(BroadcastMeetings.meetingOf(id)).orElseThrow());
        assertNotEquals(id.value(), BroadcastMeetings.meetingOf(id).value());
        assertTrue(BroadcastMeetings.broadcastOf(new io.livedesk.media.api.MeetingId(id.value())).isEmpty());
        assertEquals(Set.of(), Set.copyOf(fx.bridge.expiredConferences()));
    }
}
