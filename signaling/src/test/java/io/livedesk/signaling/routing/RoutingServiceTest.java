package io.livedesk.signaling.routing;

import io.livedesk.signaling.async.Stages;
import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallRecords;
import io.livedesk.signaling.call.CallService;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.call.InMemoryCallStore;
import io.livedesk.signaling.call.PeerToPeerRelay;
import io.livedesk.signaling.cluster.InMemorySessionStore;
import io.livedesk.signaling.cluster.LocalClusterBus;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.cluster.SessionLocation;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.server.LocalConnections;
import io.livedesk.signaling.server.Metrics;
import io.livedesk.signaling.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing decisions through {@link RoutingService} with the in-memory stores, a clock the test moves, and
 * a real {@link MessageRouter} whose deliveries are recorded: every subject is "connected" on another node whose
 * cluster-bus listener is the recorder.
 */
class RoutingServiceTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final Duration RING = Duration.ofSeconds(20);
    private static final Duration REOFFER_DELAY = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final String RECORDER_NODE = "recorder";

    private final MutableClock clock = new MutableClock(T0);
    private final MessageCodec codec = new MessageCodec();
    private final Map<String, List<JsonNode>> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private InMemorySessionStore sessions;
    private InMemoryPresenceStore presenceStore;
    private InMemoryRoutingStore routingStore;
    private InMemoryCallStore callStore;
    private PresenceService presence;
    private RoutingService routing;
    private CallService calls;

    @BeforeEach
    void wire() {
        LiveDeskConfig.Routing config = LiveDeskConfig.withOverrides(Map.of(
                "livedesk.routing.ring-timeout", RING.toMillis() + "ms",
                "livedesk.routing.reoffer-delay", REOFFER_DELAY.toMillis() + "ms",
                "livedesk.routing.escalation-step", "60s",
                "livedesk.routing.away-on-missed-offer", true,
                "livedesk.routing.max-customer-priority", 0,
                "livedesk.routing.max-wait", MAX_WAIT.toMillis() + "ms")).routing();
        sessions = new InMemorySessionStore();
        LocalClusterBus bus = new LocalClusterBus();
        bus.subscribe(RECORDER_NODE, (subject, json) -> delivered.computeIfAbsent(subject, s -> new ArrayList<>()).add(parse(json)));
        MessageRouter router = new MessageRouter("this-node", new LocalConnections(), sessions, bus, codec);
        Metrics metrics = new Metrics();
        presenceStore = new InMemoryPresenceStore();
        // A spy so a test can act in the middle of a store step, where another node's request could land.
        routingStore = spy(new InMemoryRoutingStore(presenceStore));
        callStore = new InMemoryCallStore();
        presence = new PresenceService(presenceStore, new io.livedesk.signaling.presence.InMemorySupervisorIndex(), router, clock);
        CallRecords records = new CallRecords(callStore);
        routing = new RoutingService(routingStore, new SeparateRoutingSteps(routingStore, callStore, presenceStore),
                presence, records, router, config, ServiceHours.always(clock), clock, metrics, Runnable::run);
        calls = new CallService(records, new PeerToPeerRelay(router, List.of()), router, clock, metrics, routing,
                "node-test", (node, task) -> {
                    throw new AssertionError("peer-to-peer media is never handed to another node");
                }, Runnable::run, java.time.Duration.ZERO);
    }

    // ---- matching ----

    @Test
    void offersOnlyToStaffWithTheRequestedSkill() {
        availableStaff("cards-1", Set.of("cards"), Set.of("en"), 1);
        tick();
        availableStaff("accounts-1", Set.of("accounts"), Set.of("en"), 1);

        RequestId r = request("cust-1", "accounts", "en", 0);

        assertOfferedTo(r.value(), "accounts-1");
        assertTrue(offersTo("cards-1").isEmpty(), "the cards specialist, though idle longer, got no offer");
        JsonNode offer = lastOfType("accounts-1", "offer");
        assertEquals(r.value(), offer.path("requestId").asText());
        assertEquals("accounts", offer.path("topic").asText());
        assertEquals(RING.toMillis(), offer.path("expiresInMs").asLong());
        assertEquals("ringing", lastOfType("cust-1", "queue.update").path("state").asText());
    }

    @Test
    void offersOnlyToStaffWhoSpeakTheLanguage() {
        availableStaff("en-only", Set.of("accounts"), Set.of("en"), 1);
        tick();
        availableStaff("zh-speaker", Set.of("accounts"), Set.of("en", "zh"), 1);

        RequestId r = request("cust-1", "accounts", "zh", 0);

        assertOfferedTo(r.value(), "zh-speaker");
        assertTrue(offersTo("en-only").isEmpty());
    }

    @Test
    void aRequestNobodyCanTakeWaitsUntilSomeoneEligibleIsAvailable() {
        availableStaff("cards-1", Set.of("cards"), Set.of("en"), 1);
        signedInStaff("loans-1", Set.of("loans"), Set.of("en"), 1); // signed in but away

        RequestId r = request("cust-1", "loans", "en", 0);

        assertWaiting(r.value(), 1);
        makeAvailable("loans-1");
        assertOfferedTo(r.value(), "loans-1");
    }

    @Test
    void higherPriorityGoesFirst() {
        signedInStaff("s1", Set.of("accounts"), Set.of("en"), 1);
        RequestId normal = request("cust-normal", "accounts", "en", 0);
        tick(Duration.ofSeconds(10));
        RequestId urgent = request("cust-urgent", "accounts", "en", 2);
        tick(Duration.ofSeconds(10));
        RequestId later = request("cust-later", "accounts", "en", 0);

        assertWaiting(urgent.value(), 1);
        assertWaiting(normal.value(), 2);
        assertWaiting(later.value(), 3);
        makeAvailable("s1");
        assertOfferedTo(urgent.value(), "s1");
        assertWaiting(normal.value(), 1);
    }

    /** A priority-1 request ranks as if it had waited one escalation step (60 s) more. */
    @ParameterizedTest(name = "priority 1 enqueued {0}s after priority 0 -> first offer to {1}")
    @CsvSource({"59, priority-1", "61, priority-0"})
    void longWaitsEscalatePastHigherPriority(int secondsLater, String expectedFirst) {
        signedInStaff("s1", Set.of("accounts"), Set.of("en"), 1);
        Map<String, RequestId> requests = Map.of(
                "priority-0", request("priority-0", "accounts", "en", 0),
                "priority-1", requestAfter(Duration.ofSeconds(secondsLater), "priority-1", "accounts", "en", 1));

        makeAvailable("s1");

        assertOfferedTo(requests.get(expectedFirst).value(), "s1");
    }

    @Test
    void queueOrderBringsEachPriorityLevelForwardByOneStep() {
        QueueOrder order = new QueueOrder(60_000);
        assertEquals(1_000_000.0, order.rank(1_000_000, 0));
        assertEquals(880_000.0, order.rank(1_000_000, 2));
        assertTrue(order.rank(1_000_000, 1) < order.rank(940_001, 0));
        assertTrue(order.rank(1_000_000, 1) > order.rank(939_999, 0));
    }

    @Test
    void offersGoToTheLongestIdleStaffMemberFirst() {
        availableStaff("first-free", Set.of("accounts"), Set.of("en"), 1);
        tick();
        availableStaff("second-free", Set.of("accounts"), Set.of("en"), 1);
        tick();
        availableStaff("third-free", Set.of("accounts"), Set.of("en"), 1);

        RequestId r1 = request("cust-1", "accounts", "en", 0);
        RequestId r2 = request("cust-2", "accounts", "en", 0);
        RequestId r3 = request("cust-3", "accounts", "en", 0);

        assertOfferedTo(r1.value(), "first-free");
        assertOfferedTo(r2.value(), "second-free");
        assertOfferedTo(r3.value(), "third-free");
    }

    @Test
    void aFinishedCallStartsANewIdlePeriodAtTheBackOfTheLine() {
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        tick();
        availableStaff("b", Set.of("accounts"), Set.of("en"), 1);
        RequestId r1 = request("cust-1", "accounts", "en", 0);
        assertOfferedTo(r1.value(), "a");
        accept("a", r1.value());
        tick(Duration.ofSeconds(30));
        calls.end(CallId.of(r1), EndReason.STAFF_HANGUP, Subject.of("a"));
        assertEquals(clock.millis(), presenceOf("a").idleSinceMs());

        RequestId r2 = request("cust-2", "accounts", "en", 0);

        assertOfferedTo(r2.value(), "b");
    }

    // ---- capacity ----

    @Test
    void aMemberIsNeverOfferedMoreThanTheirCapacity() {
        availableStaff("pair", Set.of("accounts"), Set.of("en"), 2);

        RequestId r1 = request("cust-1", "accounts", "en", 0);
        RequestId r2 = request("cust-2", "accounts", "en", 0);
        RequestId r3 = request("cust-3", "accounts", "en", 0);

        assertOfferedTo(r1.value(), "pair");
        assertOfferedTo(r2.value(), "pair");
        assertWaiting(r3.value(), 1);
        assertEquals(2, presenceOf("pair").load());
        assertEquals(StaffStatus.BUSY, presenceOf("pair").effectiveStatus());
        assertEquals("busy", lastOfType("pair", "presence").path("status").asText());

        accept("pair", r1.value());
        routing.sweep(List.of(Subject.of("pair")), List.of(), () -> true);
        assertWaiting(r3.value(), 1);
        assertEquals(2, presenceOf("pair").load(), "an accepted offer keeps its place as a call");

        calls.end(CallId.of(r1), EndReason.CUSTOMER_HANGUP, Subject.of("cust-1"));
        assertOfferedTo(r3.value(), "pair");
        assertEquals(2, presenceOf("pair").load());
    }

    @Test
    void aSingleCapacityMemberRingingWithOneRequestIsNotOfferedASecond() {
        availableStaff("solo", Set.of("accounts"), Set.of("en"), 1);
        RequestId r1 = request("cust-1", "accounts", "en", 0);
        RequestId r2 = request("cust-2", "accounts", "en", 0);

        assertOfferedTo(r1.value(), "solo");
        assertWaiting(r2.value(), 1);
        assertEquals(1, offersTo("solo").size());
    }

    // ---- the sweep tells waiting customers their place ----

    /** A customer connected to this node, as the sweep sees them: what they were told, and when they stopped. */
    private static final class RecordingCustomer implements WaitingCustomer {
        final String id;
        final List<Integer> toldPlaces = new ArrayList<>();
        int toldPosition;
        boolean waiting = true;
        long waitingSinceMs = Long.MAX_VALUE;

        RecordingCustomer(String id, int toldPosition) {
            this.id = id;
            this.toldPosition = toldPosition;
        }

        @Override
        public Subject customerId() {
            return Subject.of(id);
        }

        @Override
        public long waitingSinceMs() {
            return waitingSinceMs;
        }

        @Override
        public void tellPlace(ServerMessage.QueueUpdate notice) {
            assertEquals(ServerMessage.QueueState.WAITING, notice.state());
            if (notice.position() != toldPosition) {
                toldPosition = notice.position();
                toldPlaces.add(notice.position());
            }
        }

        @Override
        public void stopWaiting() {
            waiting = false;
        }
    }

    @Test
    void theSweepTellsWaitingCustomersPlacesThatMovedOnceAndStopsWatchingThoseNoLongerWaiting() {
        RequestId first = request("cust-1", "accounts", "en", 0);
        tick();
        RequestId second = request("cust-2", "accounts", "en", 0);
        RecordingCustomer one = new RecordingCustomer("cust-1", 1);
        RecordingCustomer two = new RecordingCustomer("cust-2", 2);

        routing.sweep(List.of(), List.of(one, two), () -> true);
        assertEquals(List.of(), two.toldPlaces, "nothing moved");

        routing.cancel(first, EndReason.CUSTOMER_CANCELLED);
        routing.sweep(List.of(), List.of(one, two), () -> true);
        routing.sweep(List.of(), List.of(one, two), () -> true);
        assertEquals(List.of(1), two.toldPlaces, "told once that they moved up");
        assertFalse(one.waiting, "the cancelled customer's request is gone");
        assertTrue(two.waiting);

        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        assertOfferedTo(second.value(), "a");
        routing.sweep(List.of(Subject.of("a")), List.of(two), () -> true);
        assertEquals(List.of(1), two.toldPlaces, "ringing is told when it happens, not by the sweep");
        assertTrue(two.waiting, "still open while it rings");
        accept("a", second.value());
        routing.sweep(List.of(Subject.of("a")), List.of(two), () -> true);
        assertFalse(two.waiting, "accepted: no longer waiting");
    }

    @Test
    void aCustomerWaitingTheMaximumWaitIsLetGoWithTheReasonAndTheRequestEnds() {
        RequestId first = request("cust-1", "accounts", "en", 0);
        RecordingCustomer one = new RecordingCustomer("cust-1", 1);
        one.waitingSinceMs = clock.millis();
        tick(MAX_WAIT.minusSeconds(1));
        routing.sweep(List.of(), List.of(one), () -> true);
        assertWaiting(first.value(), 1);

        tick(Duration.ofSeconds(1));
        routing.sweep(List.of(), List.of(one), () -> true);
        assertTrue(routingStore.state(first).isEmpty(), "out of the queue");
        assertEquals("max_wait", ofType("cust-1", "request.cancelled").get(0).path("reason").asText());
        assertEquals(EndReason.MAX_WAIT, callStore.get(io.livedesk.signaling.call.CallId.of(first.value())).orElseThrow().endReason());
        routing.sweep(List.of(), List.of(one), () -> true);
        assertFalse(one.waiting);
        assertEquals(1, ofType("cust-1", "request.cancelled").size(), "told once");
    }

    @Test
    void aRequestRingingAtTheMaximumWaitIsLeftToBeAnswered() {
        RequestId first = request("cust-1", "accounts", "en", 0);
        RecordingCustomer one = new RecordingCustomer("cust-1", 1);
        one.waitingSinceMs = clock.millis();
        tick(MAX_WAIT.minusSeconds(5));
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        assertOfferedTo(first.value(), "a");
        tick(Duration.ofSeconds(10));
        routing.sweep(List.of(Subject.of("a")), List.of(one), () -> true);
        assertEquals(Optional.of(RequestState.OFFERED), routingStore.state(first));
        assertTrue(ofType("cust-1", "request.cancelled").isEmpty());
    }

    @Test
    void outsideItsOpeningHoursAQueueRefusesNewRequestsSayingWhenItOpens() {
        // T0 is Thursday 08:00 UTC, 16:00 in Shanghai.
        ServiceHours hours = new ServiceHours(OpeningHours.parse("mon-fri 09:00-17:00"),
                Map.of("loans", OpeningHours.parse("mon-fri 09:00-12:00")), java.time.ZoneId.of("Asia/Shanghai"), clock);
        assertTrue(hours.isOpen("accounts"));
        assertFalse(hours.isOpen("loans"));
        assertEquals(Optional.of(Instant.parse("2026-11-27T01:00:00Z")), hours.nextOpening("loans"), "Friday 09:00");
        RoutingService closedForLoans = new RoutingService(routingStore,
                new SeparateRoutingSteps(routingStore, callStore, presenceStore), presence, new CallRecords(callStore),
                new MessageRouter("this-node", new LocalConnections(), sessions, new LocalClusterBus(), codec),
                LiveDeskConfig.withOverrides(Map.of()).routing(), hours, clock, new Metrics(), Runnable::run);
        ProtocolException e = assertThrows(ProtocolException.class, () -> closedForLoans.create(customer("cust-1"),
                new ClientMessage.RequestCreate("q", "loans", "en", 0, Map.of())));
        assertEquals(ErrorCode.CLOSED, e.code());
        assertTrue(e.getMessage().contains("2026-11-27T01:00:00Z"), e.getMessage());
        assertTrue(routingStore.openRequestOf(Subject.of("cust-1")).isEmpty(), "nothing queued");
        Stages.await(closedForLoans.create(customer("cust-2"), new ClientMessage.RequestCreate("q", "accounts", "en", 0, Map.of())));
    }

    @Test
    void aRequestFoundGoneWhileTheStoreLostItsDataStaysWithItsCustomerToBePutBack() {
        RequestId first = request("cust-1", "accounts", "en", 0);
        RecordingCustomer one = new RecordingCustomer("cust-1", 1);
        routing.cancel(first, EndReason.CUSTOMER_CANCELLED); // as good as lost, for the look-up
        int[] asked = {0};
        routing.sweep(List.of(), List.of(one), () -> {
            asked[0]++;
            return false;
        });
        assertTrue(one.waiting, "the store lost its data: the connection keeps the request");
        assertEquals(1, asked[0], "asked once, after the look-ups");
        routing.sweep(List.of(), List.of(one), () -> true);
        assertFalse(one.waiting);
    }

    // ---- ring timeout ----

    @Test
    void aRequestArrivingWhileAnOfferRingsOutIsNotOfferedToTheMemberWhoMissedIt() {
        availableStaff("sleepy", Set.of("accounts"), Set.of("en"), 1);
        RequestId first = request("cust-1", "accounts", "en", 0);
        assertOfferedTo(first.value(), "sleepy");
        List<RequestId> arrived = new ArrayList<>();
        doAnswer(inv -> {
            Object released = inv.callRealMethod();
            arrived.add(request("cust-2", "accounts", "en", 0)); // lands right after the store freed the member
            return released;
        }).when(routingStore).release(any(), any(), eq(ReleaseReason.TIMEOUT), anyLong(), anyLong(), anyBoolean());

        clock.advance(RING);
        routing.sweep(List.of(), List.of(), () -> true);

        assertEquals(1, arrived.size());
        assertTrue(offersTo("sleepy").stream().noneMatch(o -> o.path("requestId").asText().equals(arrived.get(0).value())),
                "offered to a member who just missed an offer and is away: " + offersTo("sleepy"));
        assertEquals(StaffStatus.AWAY, presenceOf("sleepy").status());
        assertWaiting(first.value(), 1);
        assertWaiting(arrived.get(0).value(), 2);
    }

    @Test
    void anOfferThatRingsOutIsRevokedTheMemberSetAwayAndTheRequestOfferedToTheNext() {
        availableStaff("sleepy", Set.of("accounts"), Set.of("en"), 1);
        tick();
        availableStaff("awake", Set.of("accounts"), Set.of("en"), 1);
        RequestId r = request("cust-1", "accounts", "en", 0);
        assertOfferedTo(r.value(), "sleepy");

        clock.advance(RING.minusMillis(1));
        routing.sweep(List.of(), List.of(), () -> true);
        assertOfferedTo(r.value(), "sleepy");

        clock.advance(Duration.ofMillis(1));
        routing.sweep(List.of(), List.of(), () -> true);

        assertOfferedTo(r.value(), "awake");
        JsonNode revoked = lastOfType("sleepy", "offer.revoked");
        assertEquals(r.value(), revoked.path("requestId").asText());
        assertEquals("timeout", revoked.path("reason").asText());
        assertEquals(StaffStatus.AWAY, presenceOf("sleepy").status());
        assertEquals(0, presenceOf("sleepy").load());
        assertEquals("away", lastOfType("sleepy", "presence").path("status").asText());
        CallRecord record = callStore.get(CallId.of(r)).orElseThrow();
        assertEquals(CallState.QUEUED, record.state(), "routing holds the offer; the record changes on accept");
        assertProtocolError(ErrorCode.OFFER_EXPIRED, () -> accept("sleepy", r.value()));
        accept("awake", r.value());
        CallRecord answered = callStore.get(CallId.of(r)).orElseThrow();
        assertEquals(Subject.of("awake"), answered.staffId());
        assertEquals(CallState.CONNECTING, answered.state());
        assertEquals(clock.millis(), answered.offeredAtMs(), "offered to awake as sleepy's offer rang out");
    }

    @Test
    void anOfferCannotBeAcceptedOnceItsRingTimeHasPassedEvenBeforeTheSweep() {
        availableStaff("late", Set.of("accounts"), Set.of("en"), 1);
        RequestId r = request("cust-1", "accounts", "en", 0);
        clock.advance(RING);
        assertProtocolError(ErrorCode.OFFER_EXPIRED, () -> accept("late", r.value()));
    }

    // ---- decline ----

    @Test
    void aDeclinedRequestGoesToTheNextAndNotBackToTheDeclinerUntilTheReofferDelayPasses() {
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        tick();
        availableStaff("b", Set.of("accounts"), Set.of("en"), 1);
        RequestId r = request("cust-1", "accounts", "en", 0);
        assertOfferedTo(r.value(), "a");

        decline("a", r.value());
        assertOfferedTo(r.value(), "b");
        assertEquals(0, presenceOf("a").load());

        decline("b", r.value());
        assertWaiting(r.value(), 1);
        assertEquals(1, offersTo("a").size());
        assertEquals(1, offersTo("b").size());

        clock.advance(REOFFER_DELAY.minusMillis(1));
        routing.sweep(List.of(Subject.of("a"), Subject.of("b")), List.of(), () -> true);
        assertWaiting(r.value(), 1);

        clock.advance(Duration.ofMillis(1));
        routing.sweep(List.of(Subject.of("a"), Subject.of("b")), List.of(), () -> true);
        assertOfferedTo(r.value(), "a");
        assertEquals(2, offersTo("a").size());
    }

    @Test
    void aDeclinedRequestKeepsItsPlaceAndTheDeclinerIsOfferedTheNextOne() {
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        RequestId first = request("cust-1", "accounts", "en", 0);
        tick();
        RequestId second = request("cust-2", "accounts", "en", 0);
        assertOfferedTo(first.value(), "a");
        assertWaiting(second.value(), 1);

        decline("a", first.value());

        assertWaiting(first.value(), 1);
        assertOfferedTo(second.value(), "a");
        assertEquals("waiting", lastOfType("cust-1", "queue.update").path("state").asText());
        assertEquals(1, lastOfType("cust-1", "queue.update").path("position").asInt());
    }

    @Test
    void decliningAnOfferOneDoesNotHoldIsOfferExpired() {
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        availableStaff("b", Set.of("accounts"), Set.of("en"), 1);
        RequestId r = request("cust-1", "accounts", "en", 0);
        Subject holder = routingStore.offerOf(r).orElseThrow().staffId();
        String other = holder.equals(Subject.of("a")) ? "b" : "a";

        assertProtocolError(ErrorCode.OFFER_EXPIRED, () -> decline(other, r.value()));
        assertProtocolError(ErrorCode.OFFER_EXPIRED, () -> decline(holder.value(), "r-never-made"));
        assertOfferedTo(r.value(), holder.value());
    }

    // ---- cancel ----

    @Test
    void cancellingWhileRingingRevokesTheOfferAndFreesTheMember() {
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        RequestId r = request("cust-1", "accounts", "en", 0);
        assertOfferedTo(r.value(), "a");

        ServerMessage.RequestCancelled reply = routing.cancel(customer("cust-1"), new ClientMessage.RequestCancel("c1", r));

        assertEquals("customer_cancelled", reply.reason());
        assertEquals("c1", reply.id());
        JsonNode revoked = lastOfType("a", "offer.revoked");
        assertEquals(r.value(), revoked.path("requestId").asText());
        assertEquals("cancelled", revoked.path("reason").asText());
        assertEquals(0, presenceOf("a").load());
        assertEquals(Optional.empty(), routingStore.openRequestOf(Subject.of("cust-1")));
        CallRecord record = callStore.get(CallId.of(r)).orElseThrow();
        assertEquals(CallState.ENDED, record.state());
        assertEquals(EndReason.CUSTOMER_CANCELLED, record.endReason());
        assertTrue(ofType("cust-1", "request.cancelled").isEmpty(), "the customer gets the reply, not an event too");
        assertProtocolError(ErrorCode.OFFER_EXPIRED, () -> accept("a", r.value()));
    }

    @Test
    void aServerSideCancelTellsTheCustomer() {
        RequestId r = request("cust-1", "accounts", "en", 0);
        assertTrue(routing.cancel(r, EndReason.SERVER_SHUTDOWN));
        JsonNode cancelled = lastOfType("cust-1", "request.cancelled");
        assertEquals("server_shutdown", cancelled.path("reason").asText());
        assertFalse(routing.cancel(r, EndReason.SERVER_SHUTDOWN), "a request is cancelled once");
    }

    @Test
    void aCustomerCannotCancelSomeoneElsesRequest() {
        RequestId r = request("cust-1", "accounts", "en", 0);
        assertProtocolError(ErrorCode.NOT_FOUND,
                () -> routing.cancel(customer("cust-2"), new ClientMessage.RequestCancel("c1", r)));
        assertWaiting(r.value(), 1);
    }

    // ---- accept and requests ----

    @Test
    void acceptingStartsTheCallForBothParties() {
        availableStaff("a", Set.of("accounts"), Set.of("en"), 1);
        RequestId r = request("cust-1", "accounts", "en", 0);

        ServerMessage.CallStarted started = accept("a", r.value());

        assertTrue(started.initiator());
        assertEquals("a-1", started.id());
        JsonNode customerSide = lastOfType("cust-1", "call.started");
        assertEquals(r.value(), customerSide.path("callId").asText());
        assertFalse(customerSide.path("initiator").asBoolean());
        assertEquals("staff", customerSide.path("peer").path("role").asText());
        assertEquals(CallState.CONNECTING, callStore.get(CallId.of(r)).orElseThrow().state());
        assertEquals(Optional.empty(), routingStore.openRequestOf(Subject.of("cust-1")));
        assertEquals(1, presenceOf("a").load());
    }

    @Test
    void aCustomerHasAtMostOneOpenRequest() {
        request("cust-1", "accounts", "en", 0);
        assertProtocolError(ErrorCode.INVALID_STATE, () -> request("cust-1", "cards", "en", 0));
    }

    @Test
    void requestsAreCheckedAgainstTopicsLanguagesAndTheCallersPriority() {
        assertProtocolError(ErrorCode.UNKNOWN_TOPIC, () -> request("cust-1", "crypto", "en", 0));
        assertProtocolError(ErrorCode.UNSUPPORTED_LANGUAGE, () -> request("cust-1", "accounts", "fr", 0));
        assertProtocolError(ErrorCode.FORBIDDEN, () -> routing.create(customer("cust-1", 1),
                new ClientMessage.RequestCreate("x", "accounts", "en", 2, Map.of())));
    }

    // ---- helpers ----

    private void tick() {
        tick(Duration.ofSeconds(1));
    }

    private void tick(Duration d) {
        clock.advance(d);
    }

    /** Makes the subject reachable through the recording router. */
    private void connect(String subject, Role role) {
        sessions.bind(new SessionLocation(Subject.of(subject), role, RECORDER_NODE, "conn-" + subject), clock.millis());
    }

    private Principal staff(String id, Set<String> skills, Set<String> languages, int capacity) {
        return new Principal(Subject.of(id), Role.STAFF, "Staff " + id, skills, languages, capacity, 0);
    }

    private static Principal customer(String id) {
        return customer(id, 9);
    }

    private static Principal customer(String id, int maxPriority) {
        return new Principal(Subject.of(id), Role.CUSTOMER, "Customer " + id, Set.of(), Set.of(), 1, maxPriority);
    }

    private void signedInStaff(String id, Set<String> skills, Set<String> languages, int capacity) {
        connect(id, Role.STAFF);
        presence.connect(staff(id, skills, languages, capacity));
    }

    /** As the message handler does for presence.set available. */
    private void makeAvailable(String id) {
        presence.setStatus(Subject.of(id), StaffStatus.AVAILABLE);
        routing.offerWorkTo(Subject.of(id));
    }

    private void availableStaff(String id, Set<String> skills, Set<String> languages, int capacity) {
        signedInStaff(id, skills, languages, capacity);
        makeAvailable(id);
    }

    /** As the message handler does for request.create: queue it (offered at once if it can be), then tell the offer. */
    private RequestId request(String customerId, String topic, String language, int priority) {
        connect(customerId, Role.CUSTOMER);
        Queued queued = Stages.await(routing.create(customer(customerId),
                new ClientMessage.RequestCreate("q" + ids.incrementAndGet(), topic, language, priority, Map.of())));
        routing.announce(queued);
        return queued.request().id();
    }

    private RequestId requestAfter(Duration wait, String customerId, String topic, String language, int priority) {
        tick(wait);
        return request(customerId, topic, language, priority);
    }

    private ServerMessage.CallStarted accept(String staffId, String requestId) {
        Principal p = staff(staffId, presenceOf(staffId).profile().skills(), presenceOf(staffId).profile().languages(),
                presenceOf(staffId).profile().capacity());
        return Stages.await(calls.accept(p, new ClientMessage.OfferAccept(staffId + "-1", RequestId.of(requestId)))).started();
    }

    private void decline(String staffId, String requestId) {
        routing.decline(staff(staffId, Set.of(), Set.of(), 1), new ClientMessage.OfferDecline("d" + ids.incrementAndGet(), RequestId.of(requestId)));
    }

    private StaffPresence presenceOf(String staffId) {
        return presenceStore.get(Subject.of(staffId)).orElseThrow();
    }

    private void assertOfferedTo(String requestId, String staffId) {
        Offer offer = routingStore.offerOf(RequestId.of(requestId))
                .orElseThrow(() -> new AssertionError(requestId + " is not offered to anyone"));
        assertEquals(Subject.of(staffId), offer.staffId(), "offered to");
        assertEquals(Optional.of(RequestState.OFFERED), routingStore.state(RequestId.of(requestId)));
        assertTrue(offersTo(staffId).stream().anyMatch(o -> o.path("requestId").asText().equals(requestId)),
                staffId + " was told of the offer");
    }

    private void assertWaiting(String requestId, int position) {
        assertEquals(Optional.of(RequestState.WAITING), routingStore.state(RequestId.of(requestId)), "state of " + requestId);
        assertEquals(Optional.of(position), routingStore.position(RequestId.of(requestId)), "position of " + requestId);
    }

    private static void assertProtocolError(ErrorCode code, Runnable action) {
        ProtocolException e = assertThrows(ProtocolException.class, action::run);
        assertEquals(code, e.code(), e.getMessage());
    }

    private List<JsonNode> ofType(String subject, String type) {
        return delivered.getOrDefault(subject, List.of()).stream()
                .filter(m -> type.equals(m.path("type").asText())).toList();
    }

    private List<JsonNode> offersTo(String staffId) {
        return ofType(staffId, "offer");
    }

    private JsonNode lastOfType(String subject, String type) {
        List<JsonNode> all = ofType(subject, type);
        if (all.isEmpty()) {
            throw new AssertionError(subject + " got no " + type + "; got " + delivered.get(subject));
        }
        return all.get(all.size() - 1);
    }

    private JsonNode parse(String json) {
        try {
            return codec.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
