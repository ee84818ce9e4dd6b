package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.server.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The pool's logic against Mockito bridges, checks driven by hand ({@link BridgePool#checkAll()}): which
 * member a conference goes to, that later requests follow it, and what happens when a member fails and
 * comes back. Over real HTTP: {@link RemoteBridgePoolIT}.
 */
class BridgePoolTest {
    private static final BridgePool.Options OPTIONS = new BridgePool.Options(Duration.ofSeconds(1), 3, Duration.ofSeconds(1));
    private static final ConferenceReply OK = new ConferenceReply(List.of(), List.of());

    private final List<BridgePool> pools = new ArrayList<>();
    private final List<Set<MeetingId>> lost = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(BridgePool::close);
    }

    private BridgePool pool(Bridge... bridges) {
        List<MemberBridge> members = new ArrayList<>();
        for (Bridge b : bridges) {
            members.add(MemberBridge.inProcess(b));
        }
        BridgePool pool = new BridgePool("test-pool", members, OPTIONS);
        pool.onConferencesLost(lost::add);
        pools.add(pool);
        return pool;
    }

    private static Bridge bridge(String id, BridgeStats stats) throws BridgeException {
        Bridge b = mock(Bridge.class);
        when(b.id()).thenReturn(id);
        when(b.stats()).thenReturn(stats);
        when(b.apply(any())).thenReturn(OK);
        return b;
    }

    private static BridgeStats stats(double stress, int conferences, int endpoints) {
        return new BridgeStats(stress, conferences, endpoints, true, false, false, 0, 0, 0, 0);
    }

    private static ConferenceRequest create(String meetingId, int endpoints) {
        List<EndpointRequest> eps = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            eps.add(EndpointRequest.creating("ep" + i).statsId("ep" + i).sources(List.of()).build());
        }
        return ConferenceRequest.creating(new MeetingId(meetingId)).name(ConferenceNames.of(new MeetingId(meetingId))).endpoints(eps).build();
    }

    private static ConferenceRequest update(String meetingId) {
        return ConferenceRequest.modifying(new MeetingId(meetingId))
                .endpoint(EndpointRequest.updating("ep0").sources(List.of())).build();
    }

    private static BridgeException.Unavailable refused(String id) {
        return new BridgeException.Unavailable("bridge " + id + " unreachable", new ConnectException("Connection refused"));
    }

    @Test
    void aNewConferenceGoesToTheLeastStressedHealthyMember() throws Exception {
        Bridge busy = bridge("busy", stats(0.6, 1, 2));
        Bridge calm = bridge("calm", stats(0.1, 9, 40)); // more endpoints, yet less stress: stress decides
        Bridge sick = bridge("sick", new BridgeStats(0, 0, 0, false, false, false, 0, 0, 0, 0));
        BridgePool pool = pool(busy, calm, sick);
        pool.checkAll();

        pool.apply(create("m1", 2));
        assertEquals(Optional.of("calm"), pool.ownerOf(new MeetingId("m1")));
        verify(busy, never()).apply(any());
        verify(sick, never()).apply(any());
        assertTrue(pool.members().get(2).up(), "one failed check of three: not down, just not chosen");
    }

    @Test
    void aMemberThatFailedItsLastCheckIsALastResort() throws Exception {
        Bridge flaky = bridge("flaky", stats(0, 0, 0));
        Bridge loaded = bridge("loaded", stats(0.7, 3, 30));
        BridgePool pool = pool(flaky, loaded);
        pool.checkAll();
        when(flaky.stats()).thenThrow(new BridgeException.Unavailable("bridge flaky answered 500", null));
        pool.checkAll();
        pool.apply(create("m1", 1));
        assertEquals(Optional.of("loaded"), pool.ownerOf(new MeetingId("m1")));

        when(loaded.stats()).thenThrow(new BridgeException.Unavailable("bridge loaded answered 500", null));
        pool.checkAll();
        pool.apply(create("m2", 1)); // both suspect: by stress again
        assertEquals(Optional.of("flaky"), pool.ownerOf(new MeetingId("m2")));
    }

    @Test
    void idleMembersShareConferencesCountingThosePlacedSinceTheLastCheck() throws Exception {
        Bridge a = bridge("a", stats(0, 1, 2));
        Bridge b = bridge("b", stats(0, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();

        pool.apply(create("m1", 1)); // b: 0 endpoints < 2
        pool.apply(create("m2", 1)); // b: 1 placed since its check < 2
        pool.apply(create("m3", 1)); // 2 endpoints each; a has fewer conferences (1 < 2)
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m1")));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m2")));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m3")));
    }

    @Test
    void stressGrowsWithEndpointsPlacedSinceTheLastCheck() throws Exception {
        Bridge a = bridge("a", stats(0.30, 1, 10)); // 0.03 per endpoint
        Bridge b = bridge("b", stats(0.35, 1, 10));
        BridgePool pool = pool(a, b);
        pool.checkAll();
        pool.apply(create("m1", 1)); // a: 0.30 -> 0.33
        pool.apply(create("m2", 1)); // a: 0.33 -> 0.36 > 0.35
        pool.apply(create("m3", 1));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m1")));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m2")));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m3")));
    }

    @Test
    void aDrainingMemberGetsNoNewConferenceEvenWhenLeastLoadedButKeepsItsOwn() throws Exception {
        Bridge draining = bridge("draining", stats(0, 0, 0));
        Bridge loaded = bridge("loaded", stats(0.9, 5, 50));
        BridgePool pool = pool(draining, loaded);
        pool.checkAll();
        pool.apply(create("m1", 1));
        assertEquals(Optional.of("draining"), pool.ownerOf(new MeetingId("m1")), "idle: it takes the first call");

        when(draining.stats()).thenReturn(new BridgeStats(0, 1, 1, true, true, false, 0, 0, 0, 0));
        pool.checkAll();
        assertTrue(pool.members().get(0).draining());
        assertTrue(pool.members().get(0).up(), "draining is not down");
        pool.apply(create("m2", 1));
        assertEquals(Optional.of("loaded"), pool.ownerOf(new MeetingId("m2")), "a new call avoids the draining bridge");

        // The existing call stays: a participant who joins it later lands where the call is.
        pool.apply(addEndpoint("m1", "supervisor-1"));
        verify(draining, times(2)).apply(any());
        assertEquals(Optional.of("draining"), pool.ownerOf(new MeetingId("m1")));
        assertTrue(pool.takesNewConferences());
    }

    @Test
    void drainingThroughThePoolAsksTheBridgeAndMarksItAtOnce() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.5, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();

        MemberStatus drained = pool.drain("a", true);

        verify(a).drain(true);
        assertTrue(drained.draining());
        assertFalse(drained.takesNewConferences());
        pool.apply(create("m1", 1));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m1")), "before the next check");
        // The bridge holds the state: its next stats say so, and so does the pool.
        when(a.stats()).thenReturn(new BridgeStats(0, 0, 0, true, true, false, 0, 0, 0, 0));
        pool.checkAll();
        assertTrue(pool.members().get(0).draining());

        when(a.stats()).thenReturn(stats(0, 0, 0));
        assertFalse(pool.drain("a", false).draining());
        verify(a).drain(false);
        pool.apply(create("m2", 1));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m2")), "eligible again");

        assertThrows(BridgeException.NotFound.class, () -> pool.drain("nope", true));
        doThrow(refused("b")).when(b).drain(true);
        assertThrows(BridgeException.Unavailable.class, () -> pool.drain("b", true));
        assertFalse(pool.members().get(1).draining(), "not marked when the bridge did not take it");
    }

    @Test
    void withEveryMemberDrainingOrShuttingDownANewCallGetsTheNoBridgeError() throws Exception {
        Bridge a = bridge("a", new BridgeStats(0, 1, 2, true, true, false, 0, 0, 0, 0));
        Bridge b = bridge("b", new BridgeStats(0, 0, 0, true, false, true, 0, 0, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();

        assertFalse(pool.takesNewConferences());
        BridgeException.Unavailable e = assertThrows(BridgeException.Unavailable.class, () -> pool.apply(create("m1", 1)));
        assertTrue(e.getMessage().contains("no media bridge is up and taking new conferences"), e.getMessage());
        assertTrue(e.getMessage().contains("draining"), e.getMessage());
        verify(a, never()).apply(any());
        verify(b, never()).apply(any());
    }

    @Test
    void aMemberReportingShuttingDownIsDownAtOnceItsCallsMovedAndItsConferencesExpiredThere() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.5, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();
        pool.apply(create("m1", 1));
        pool.apply(create("m2", 1));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m1")));

        when(a.stats()).thenReturn(new BridgeStats(0, 2, 2, true, false, true, 0, 0, 0, 0));
        pool.checkAll(); // one check, not down-after

        MemberStatus status = pool.members().get(0);
        assertFalse(status.up());
        assertTrue(status.shuttingDown());
        assertEquals("shutting down", status.lastFailure());
        Set<MeetingId> moved = Set.of(new MeetingId("m1"), new MeetingId("m2"));
        assertEquals(List.of(moved), lost, "the listeners ask the calls' browsers to reconnect");
        verify(a).expire(new MeetingId("m1"));
        verify(a).expire(new MeetingId("m2"));
        // The browsers' new offers: the update is NotFound, so the conference is created on b.
        assertThrows(BridgeException.NotFound.class, () -> pool.apply(update("m1")));
        pool.apply(create("m1", 1));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m1")));

        pool.checkAll();
        assertEquals(1, lost.size(), "told once");
    }

    private static ConferenceRequest addEndpoint(String meetingId, String endpointId) {
        return ConferenceRequest.modifying(new MeetingId(meetingId))
                .endpoint(EndpointRequest.creating(endpointId).statsId(endpointId).sources(List.of())).build();
    }

    @Test
    void laterRequestsFollowTheConferenceAndExpiryForgetsIt() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.5, 0, 0));
        ConferenceStats conference = new ConferenceStats(new MeetingId("m1"), 1, 0, 0, 0, 0, 0, List.of());
        when(a.conferenceStats(new MeetingId("m1"))).thenReturn(conference);
        BridgePool pool = pool(a, b);
        pool.checkAll();

        assertThrows(BridgeException.NotFound.class, () -> pool.apply(update("m1")),
                "an unknown conference that is not being created");
        assertThrows(BridgeException.NotFound.class, () -> pool.conferenceStats(new MeetingId("m1")));
        pool.apply(create("m1", 1));
        pool.apply(update("m1"));
        pool.apply(create("m1", 1)); // create=true for a known conference: its member, not a new one
        assertSame(conference, pool.conferenceStats(new MeetingId("m1")));
        verify(b, never()).apply(any());

        pool.expire(new MeetingId("m1"));
        verify(a).expire(new MeetingId("m1"));
        assertEquals(Optional.empty(), pool.ownerOf(new MeetingId("m1")));
        assertThrows(BridgeException.NotFound.class, () -> pool.apply(update("m1")));
        pool.expire(new MeetingId("m1")); // unknown: no-op
        pool.apply(ConferenceRequest.expiring(new MeetingId("m2"))); // expire through apply: no-op too
        assertThrows(BridgeException.BadRequest.class, () -> pool.apply(ConferenceRequest.modifying(null).build()));
    }

    @Test
    void aMemberFailingChecksIsMarkedDownItsConferencesLostAndRecreatedElsewhere() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.2, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();
        pool.apply(create("m1", 2));
        pool.apply(create("m2", 2));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m2")));

        when(a.stats()).thenThrow(new BridgeException.Unavailable("bridge a answered 503", null));
        pool.checkAll();
        pool.checkAll();
        assertTrue(pool.members().get(0).up(), "two failures of three: still up");
        assertEquals(2, pool.members().get(0).consecutiveFailures());
        assertEquals(List.of(), lost);
        pool.checkAll();

        MemberStatus down = pool.members().get(0);
        assertFalse(down.up());
        assertEquals(1, down.timesDown());
        assertEquals(2, down.conferencesLost());
        assertEquals(List.of(Set.of(new MeetingId("m1"), new MeetingId("m2"))), lost);
        assertThrows(BridgeException.NotFound.class, () -> pool.apply(update("m1")),
                "the negotiator's cue to create the conference again");
        pool.apply(create("m1", 2));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m1")));
    }

    @Test
    void aConnectionErrorOnARequestMarksTheMemberDownAtOnceAndAnswersNotFound() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.2, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();
        pool.apply(create("m1", 1));
        when(a.apply(any())).thenThrow(refused("a"));

        BridgeException.NotFound e = assertThrows(BridgeException.NotFound.class, () -> pool.apply(update("m1")));
        assertTrue(e.getMessage().contains("down"), e.getMessage());
        assertFalse(pool.members().get(0).up());
        assertEquals(List.of(Set.of(new MeetingId("m1"))), lost);
        pool.apply(create("m1", 1));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m1")));
    }

    @Test
    void aTimedOutRequestCountsAsOneFailureNotAsAConnectionError() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        BridgePool pool = pool(a);
        pool.apply(create("m1", 1));
        when(a.apply(any())).thenThrow(new BridgeException.Unavailable("slow",
                new HttpTimeoutException("request timed out")));
        assertThrows(BridgeException.Unavailable.class, () -> pool.apply(update("m1")));
        assertTrue(pool.members().get(0).up());
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m1")));

        assertTrue(BridgePool.isConnectionFailure(refused("x")));
        assertTrue(BridgePool.isConnectionFailure(new BridgeException.Unavailable("x",
                new HttpConnectTimeoutException("connect timed out"))));
        assertFalse(BridgePool.isConnectionFailure(new BridgeException.Unavailable("503", null)));
    }

    @Test
    void creationFailsOverToTheNextMemberWhenTheBestCannotBeReached() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.4, 0, 0));
        when(a.apply(any())).thenThrow(refused("a"));
        BridgePool pool = pool(a, b);
        pool.checkAll();
        pool.apply(create("m1", 1));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m1")));
        assertFalse(pool.members().get(0).up());
        assertEquals(List.of(), lost, "a held no conference");
    }

    @Test
    void aBadRequestIsTheCallersAndIsNotRetriedElsewhere() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.4, 0, 0));
        when(a.apply(any())).thenThrow(new BridgeException.BadRequest("no such codec"));
        BridgePool pool = pool(a, b);
        assertThrows(BridgeException.BadRequest.class, () -> pool.apply(create("m1", 1)));
        verify(b, never()).apply(any());
        assertTrue(pool.members().get(0).up());
    }

    @Test
    void withNoMemberUpCreationIsUnavailable() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        when(a.stats()).thenReturn(new BridgeStats(0, 0, 0, true, false, true, 0, 0, 0, 0)); // shutting down
        BridgePool pool = pool(a);
        for (int i = 0; i < OPTIONS.downAfter(); i++) {
            pool.checkAll();
        }
        assertFalse(pool.members().get(0).up());
        assertEquals("shutting down", pool.members().get(0).lastFailure());
        BridgeException.Unavailable e = assertThrows(BridgeException.Unavailable.class, () -> pool.apply(create("m1", 1)));
        assertTrue(e.getMessage().contains("no media bridge is up"), e.getMessage());
        assertFalse(pool.stats().healthy());
    }

    @Test
    void aMemberBackFromDownExpiresWhatItLostThenTakesConferencesAgain() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.5, 0, 0));
        BridgePool pool = pool(a, b);
        pool.apply(create("m1", 1));
        when(a.apply(any())).thenThrow(refused("a"));
        assertThrows(BridgeException.NotFound.class, () -> pool.apply(update("m1")));
        pool.apply(create("m2", 1));
        assertEquals(Optional.of("b"), pool.ownerOf(new MeetingId("m2")));

        pool.checkAll(); // a answers its checks again
        assertTrue(pool.members().get(0).up());
        verify(a).expire(new MeetingId("m1"));
        doReturn(OK).when(a).apply(any());
        pool.apply(create("m3", 1));
        assertEquals(Optional.of("a"), pool.ownerOf(new MeetingId("m3")));
    }

    @Test
    void listenersThatThrowDoNotStopOthersNorTheFailover() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        BridgePool pool = pool(a);
        List<Set<MeetingId>> second = new CopyOnWriteArrayList<>();
        pool.onConferencesLost(ids -> {
            throw new IllegalStateException("listener bug");
        });
        pool.onConferencesLost(second::add);
        pool.apply(create("m1", 1));
        when(a.conferenceStats(new MeetingId("m1"))).thenThrow(refused("a"));
        assertThrows(BridgeException.Unavailable.class, () -> pool.conferenceStats(new MeetingId("m1")));
        assertEquals(List.of(Set.of(new MeetingId("m1"))), lost);
        assertEquals(List.of(Set.of(new MeetingId("m1"))), second);
    }

    @Test
    void poolStatsAggregateTheMembersUpAndMetricsLabelEachBridge() throws Exception {
        Bridge a = bridge("a", new BridgeStats(0.2, 2, 4, true, false, false, 100, 200, 1000, 2000));
        Bridge b = bridge("b", new BridgeStats(0.4, 1, 2, true, false, false, 10, 20, 100, 200));
        BridgePool pool = pool(a, b);
        assertTrue(pool.stats().healthy(), "up before the first check");
        pool.checkAll();
        pool.apply(create("m1", 1));

        BridgeStats s = pool.stats();
        assertEquals(0.3, s.stressLevel(), 1e-9);
        assertEquals(3, s.conferences());
        assertEquals(6, s.endpoints());
        assertEquals(110, s.packetsIn());
        assertEquals(2200, s.bytesOut());
        assertTrue(s.healthy());
        assertFalse(s.draining());

        Metrics metrics = new Metrics();
        metrics.bind(new BridgePoolMetrics(pool));
        String text = metrics.scrape();
        for (String expected : List.of("livedesk_media_bridge_up{bridge=\"a\"} 1.0",
                "livedesk_media_bridge_stress{bridge=\"b\"} 0.4",
                "livedesk_media_bridge_conferences{bridge=\"a\"} 2.0",
                "livedesk_media_bridge_endpoints{bridge=\"b\"} 2.0",
                "livedesk_media_bridge_assigned_conferences{bridge=\"a\"} 1.0",
                "livedesk_media_bridge_packets_received_total{bridge=\"a\"} 100.0",
                "livedesk_media_bridge_bytes_sent_total{bridge=\"b\"} 200.0",
                "livedesk_media_bridge_marked_down_total{bridge=\"a\"} 0.0",
                "livedesk_media_bridge_draining{bridge=\"a\"} 0.0",
                "livedesk_media_bridges_up 2.0")) {
            assertTrue(text.contains(expected), "metrics lack " + expected + ":\n" + text);
        }
        assertFalse(text.contains("m1"), "no meeting ids in labels");
        pool.drain("b", true);
        assertTrue(metrics.scrape().contains("livedesk_media_bridge_draining{bridge=\"b\"} 1.0"));
    }

    @Test
    void closeClosesEveryMemberEvenIfOneFails() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0, 0, 0));
        doThrow(new IllegalStateException("boom")).when(a).close();
        BridgePool pool = pool(a, b);
        pool.start();
        pool.close();
        pool.close();
        verify(a).close();
        verify(b).close();
        assertTrue(pool.stats().shuttingDown());
    }

    @Test
    void remoteBridgesAreNamedByTheirAddress() {
        assertEquals("10.0.0.5:8090", MemberBridge.idOf(URI.create("http://10.0.0.5:8090")));
        assertEquals("10.0.0.5:8090", MemberBridge.idOf(URI.create("http://10.0.0.5:8090/")));
        assertEquals("jvb.bank.example:443/jvb1", MemberBridge.idOf(URI.create("https://jvb.bank.example/jvb1/")));
        assertEquals("jvb:80", MemberBridge.idOf(URI.create("http://jvb")));
    }

    private static EndpointMedia media(String meeting, String endpoint, MediaFlow flow) {
        return new EndpointMedia(new MeetingId(meeting), endpoint, flow);
    }

    @Test
    void theMediaOfWatchedConferencesIsReadFromTheirMembersAndOnlyChangesAreHandedOn() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        Bridge b = bridge("b", stats(0.5, 0, 0));
        BridgePool pool = pool(a, b);
        pool.checkAll();
        pool.apply(create("call-1", 2));
        pool.apply(create("live-1", 2)); // a livestream's: not watched
        when(a.stats()).thenReturn(stats(0.9, 2, 4));
        pool.checkAll();
        pool.apply(create("call-2", 1));
        List<BridgePool.MediaChanges> reports = new ArrayList<>();
        pool.watchMedia(m -> m.value().startsWith("call-"), reports::add);
        when(a.mediaStatus(anyCollection())).thenReturn(List.of(media("call-1", "customer", MediaFlow.FLOWING),
                media("call-1", "staff-1", MediaFlow.CONNECTING)));
        when(b.mediaStatus(anyCollection())).thenReturn(List.of(media("call-2", "customer", MediaFlow.FLOWING)));

        pool.checkMedia();

        verify(a).mediaStatus(List.of(new MeetingId("call-1")));
        verify(b).mediaStatus(List.of(new MeetingId("call-2")));
        assertEquals(1, reports.size());
        assertEquals(Set.of(media("call-1", "customer", MediaFlow.FLOWING), media("call-1", "staff-1", MediaFlow.CONNECTING),
                media("call-2", "customer", MediaFlow.FLOWING)), Set.copyOf(reports.get(0).changes()));

        pool.checkMedia();
        assertEquals(1, reports.size(), "nothing changed");

        when(a.mediaStatus(anyCollection())).thenReturn(List.of(media("call-1", "customer", MediaFlow.FLOWING),
                media("call-1", "staff-1", MediaFlow.STOPPED)));
        when(b.mediaStatus(anyCollection())).thenReturn(List.of());
        pool.checkMedia();
        assertEquals(2, reports.size());
        assertEquals(Set.of(media("call-1", "staff-1", MediaFlow.STOPPED), media("call-2", "customer", MediaFlow.STOPPED)),
                Set.copyOf(reports.get(1).changes()), "an endpoint the bridge no longer has carries no media");
        assertTrue(reports.get(1).round() > reports.get(0).round());

        pool.checkMedia();
        assertEquals(2, reports.size(), "a gone endpoint is reported once");
    }

    @Test
    void relaysInTheMediaStatusAreNoEndpoints() throws Exception {
        Bridge a = bridge("a", stats(0, 0, 0));
        BridgePool pool = pool(a);
        pool.apply(create("call-1", 1));
        List<BridgePool.MediaChanges> reports = new ArrayList<>();
        pool.watchMedia(m -> true, reports::add);
        when(a.mediaStatus(anyCollection())).thenReturn(List.of(media("call-1", "customer", MediaFlow.FLOWING),
                new EndpointMedia(new MeetingId("call-1"), "carrier-2", MediaFlow.STOPPED, true)));

        pool.checkMedia();

        assertEquals(List.of(media("call-1", "customer", MediaFlow.FLOWING)), reports.get(0).changes());
    }

    @Test
    void aFurtherCarrierGoesToTheBestMemberHoldingNoneOfTheGivenConferences() throws Exception {
        Bridge calm = bridge("calm", stats(0.1, 0, 0));
        Bridge busy = bridge("busy", stats(0.5, 0, 0));
        Bridge drained = bridge("drained", new BridgeStats(0, 0, 0, true, true, false, 0, 0, 0, 0));
        BridgePool pool = pool(calm, busy, drained);
        pool.checkAll();
        pool.apply(create("live-b", 1));
        assertEquals(Optional.of("calm"), pool.ownerOf(new MeetingId("live-b")));
        List<MeetingId> held = List.of(new MeetingId("live-b"));
        assertTrue(pool.takesConferenceBesides(held));

        pool.createBesides(create("live-b+2", 0), held);

        assertEquals(Optional.of("busy"), pool.ownerOf(new MeetingId("live-b+2")), "not the first's, though calmer");
        List<MeetingId> both = List.of(new MeetingId("live-b"), new MeetingId("live-b+2"));
        assertFalse(pool.takesConferenceBesides(both), "the third is draining");
        assertThrows(BridgeException.Unavailable.class, () -> pool.createBesides(create("live-b+3", 0), both));
        assertThrows(BridgeException.BadRequest.class, () -> pool.createBesides(create("live-b+2", 0), held),
                "a conference the pool holds is not created again");
    }

    @Test
    void aMemberThatCannotTellIsNotAskedAgainAndOneThatFailsARoundChangesNothing() throws Exception {
        Bridge jvb = bridge("jvb", stats(0, 0, 0));
        BridgePool pool = pool(jvb);
        pool.apply(create("call-1", 2));
        List<BridgePool.MediaChanges> reports = new ArrayList<>();
        pool.watchMedia(m -> true, reports::add);

        when(jvb.mediaStatus(anyCollection())).thenReturn(List.of(media("call-1", "customer", MediaFlow.FLOWING)));
        pool.checkMedia();
        when(jvb.mediaStatus(anyCollection())).thenThrow(new BridgeException.Unavailable("timed out", null));
        pool.checkMedia();
        assertEquals(1, reports.size(), "no answer is no news, not a stop");

        doThrow(new BridgeException.BadRequest("bridge jvb does not report media status")).when(jvb).mediaStatus(anyCollection());
        pool.checkMedia();
        pool.checkMedia();
        verify(jvb, times(3)).mediaStatus(anyCollection());
        assertTrue(pool.members().get(0).up(), "not telling its media is no failure");
        assertThrows(IllegalStateException.class, () -> pool.watchMedia(m -> true, r -> { }));
    }

    @Test
    void badConfigurationIsRefusedClearly() throws Exception {
        Bridge a = bridge("same", stats(0, 0, 0));
        Bridge b = bridge("same", stats(0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new BridgePool("p", List.of(MemberBridge.inProcess(a), MemberBridge.inProcess(b)), OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> new BridgePool("p", List.of(), OPTIONS));
        assertThrows(IllegalArgumentException.class,
                () -> new BridgePool.Options(Duration.ZERO, 3, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new BridgePool.Options(Duration.ofSeconds(1), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new BridgePool.Options(Duration.ofSeconds(1), 3, Duration.ofSeconds(1), Duration.ZERO));
    }

    @Test
    void aConferenceAnotherNodePlacedIsAdoptedOnlyWhereItStillIs() throws Exception {
        Bridge holder = bridge("holder", stats(0, 1, 2));
        Bridge other = bridge("other", stats(0, 0, 0));
        MeetingId kept = new MeetingId("kept");
        MeetingId gone = new MeetingId("gone");
        when(holder.conferenceStats(kept)).thenReturn(new ConferenceStats(kept, 2, 0, 0, 0, 0, 0, List.of()));
        when(holder.conferenceStats(gone)).thenThrow(new BridgeException.NotFound("no conference gone"));
        BridgePool pool = pool(holder, other);
        pool.checkAll();

        assertTrue(pool.adopt(kept, "holder"));
        assertEquals(Optional.of("holder"), pool.ownerOf(kept));
        pool.apply(update("kept"));
        verify(holder).apply(any()); // later requests follow it, as for a conference created here
        assertFalse(pool.adopt(gone, "holder"), "no longer there: lost");
        assertEquals(Optional.empty(), pool.ownerOf(gone));
        assertFalse(pool.adopt(new MeetingId("x"), "not-a-member"));
        verify(other, never()).conferenceStats(any());
    }

    @Test
    void aConferenceOnAMemberThatIsDownOrUnreachableIsNotAdopted() throws Exception {
        Bridge down = bridge("down", stats(0, 1, 1));
        Bridge unreachable = bridge("unreachable", stats(0, 1, 1));
        MeetingId meeting = new MeetingId("m1");
        when(unreachable.conferenceStats(meeting)).thenThrow(refused("unreachable"));
        BridgePool pool = pool(down, unreachable);
        pool.checkAll();
        when(down.stats()).thenThrow(refused("down"));
        pool.checkAll();
        pool.checkAll();
        pool.checkAll();
        assertFalse(pool.members().get(0).up());

        assertFalse(pool.adopt(meeting, "down"));
        verify(down, never()).conferenceStats(any());
        assertFalse(pool.adopt(meeting, "unreachable"));
        assertFalse(pool.members().get(1).up(), "a connection error marks it down, as for any request");
    }
}
