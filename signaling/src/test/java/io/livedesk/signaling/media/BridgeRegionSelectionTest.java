package io.livedesk.signaling.media;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MeetingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Region-aware selection ({@link BridgeSelector#rank(List, String)} through {@link BridgePool#apply(ConferenceRequest,
 * String)}), against Mockito bridges with checks driven by hand: a conference wanted in a region goes to a member of
 * that region, the least stressed there, and elsewhere only when none there takes it.
 */
class BridgeRegionSelectionTest {
    private static final BridgePool.Options OPTIONS = new BridgePool.Options(Duration.ofSeconds(1), 3, Duration.ofSeconds(1));
    private static final ConferenceReply OK = new ConferenceReply(List.of(), List.of());

    private final List<BridgePool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(BridgePool::close);
    }

    private BridgePool pool(MemberBridge... members) {
        BridgePool pool = new BridgePool("test-pool", List.of(members), OPTIONS);
        pools.add(pool);
        pool.checkAll();
        return pool;
    }

    private static MemberBridge member(String id, String region, BridgeStats stats) throws BridgeException {
        Bridge b = mock(Bridge.class);
        when(b.id()).thenReturn(id);
        when(b.stats()).thenReturn(stats);
        when(b.apply(any())).thenReturn(OK);
        return MemberBridge.inProcess(b).inRegion(region);
    }

    private static BridgeStats stats(double stress) {
        return new BridgeStats(stress, 1, 2, true, false, false, 0, 0, 0, 0);
    }

    private static BridgeStats statsNaming(String region, double stress) {
        return new BridgeStats(stress, 1, 2, true, false, false, 0, 0, 0, 0, region, "2.3");
    }

    private static ConferenceRequest create(String meetingId) {
        MeetingId id = new MeetingId(meetingId);
        return ConferenceRequest.creating(id).name(ConferenceNames.of(id))
                .endpoint(EndpointRequest.creating("ep0").statsId("ep0").sources(List.of()).build()).build();
    }

    private static Optional<String> owner(BridgePool pool, String meetingId) {
        return pool.ownerOf(new MeetingId(meetingId));
    }

    @Test
    void aConferenceGoesToTheLeastStressedMemberOfItsRegionEvenWhenAnotherRegionIsCalmer() throws Exception {
        BridgePool pool = pool(member("n1", "north", stats(0.05)), member("s1", "south", stats(0.5)),
                member("s2", "south", stats(0.3)));
        pool.apply(create("m1"), "south");
        assertEquals(Optional.of("s2"), owner(pool, "m1"));
        pool.apply(create("m2"), "north");
        assertEquals(Optional.of("n1"), owner(pool, "m2"));
        pool.apply(create("m3"), null);
        assertEquals(Optional.of("n1"), owner(pool, "m3"), "no region wanted: the least stressed anywhere");
        pool.apply(create("m4"), "east");
        assertEquals(Optional.of("n1"), owner(pool, "m4"), "a region with no bridge: as without one");
    }

    @Test
    void anotherRegionTakesItWhenNoMemberOfItsOwnCan() throws Exception {
        MemberBridge draining = member("s1", "south",
                new BridgeStats(0, 0, 0, true, true, false, 0, 0, 0, 0));
        MemberBridge sick = member("s2", "south", new BridgeStats(0, 0, 0, false, false, false, 0, 0, 0, 0));
        BridgePool pool = pool(member("n1", "north", stats(0.7)), draining, sick);
        pool.apply(create("m1"), "south");
        assertEquals(Optional.of("n1"), owner(pool, "m1"), "south drains or is unhealthy: north takes it");
        verify(draining.bridge(), never()).apply(any());
        verify(sick.bridge(), never()).apply(any());
    }

    @Test
    void aMemberOfTheRegionThatFailsTheCreateIsPassedOverForAnotherRegion() throws Exception {
        MemberBridge south = member("s1", "south", stats(0));
        when(south.bridge().apply(any())).thenThrow(
                new BridgeException.Unavailable("s1 unreachable", new ConnectException("Connection refused")));
        BridgePool pool = pool(member("n1", "north", stats(0.9)), south);
        pool.apply(create("m1"), "south");
        assertEquals(Optional.of("n1"), owner(pool, "m1"));
        assertFalse(pool.members().get(1).up(), "a refused connection marks it down");
        pool.apply(create("m2"), "south");
        assertEquals(Optional.of("n1"), owner(pool, "m2"), "down: not tried again");
    }

    @Test
    void aMemberWithoutAConfiguredRegionIsInTheRegionItsStatsName() throws Exception {
        BridgePool pool = pool(member("jvb-a", null, statsNaming("eu-west", 0.6)),
                member("jvb-b", null, statsNaming("eu-central", 0.1)),
                member("ours", "eu-west", statsNaming("ignored", 0.8)));
        assertEquals(List.of("eu-west", "eu-central", "eu-west"),
                pool.members().stream().map(MemberStatus::region).toList(), "configured beats reported");
        pool.apply(create("m1"), "eu-west");
        assertEquals(Optional.of("jvb-a"), owner(pool, "m1"));
    }

    @Test
    void takesInTellsWhetherAMemberOfTheRegionWouldTakeAConference() throws Exception {
        PoolMember north = new PoolMember(member("n1", "north", stats(0.2)), 0);
        PoolMember south = new PoolMember(member("s1", "south", stats(0.2)), 1);
        BridgeSelector selector = new BridgeSelector();
        assertTrue(selector.takesIn(List.of(north, south), "south"));
        assertFalse(selector.takesIn(List.of(north), "south"));
        south.markDraining(true);
        assertFalse(selector.takesIn(List.of(north, south), "south"), "a draining member takes none");
        assertEquals(List.of(north), selector.rank(List.of(north, south), "south"), "the other region, then");
        south.markDraining(false);
        assertEquals(List.of(north, south), selector.rank(List.of(south, north), "north"));
        assertEquals(List.of(south, north), selector.rank(List.of(north, south), "south"));
    }
}
