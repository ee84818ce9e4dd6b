package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.presence.PresenceStore;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffProfile;
import io.livedesk.signaling.presence.StaffStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link RoutingStore} contract, together with the presence store it shares staff load with.
 * Subclasses only provide the stores.
 */
public abstract class RoutingStoreContract {

    /** A routing store and the presence store of the same backend. */
    public record Stores(PresenceStore presence, RoutingStore routing) {
    }

    static final long T0 = 1_700_000_000_000L;
    static final long RING = 20_000;
    static final long STEP = 60_000;
    static final QueueOrder ORDER = new QueueOrder(STEP);

    protected PresenceStore presence;
    protected RoutingStore routing;

    /** Fresh, empty stores for each test. */
    protected abstract Stores createStores();

    protected void closeStores() {
    }

    @BeforeEach
    void setUp() {
        Stores s = createStores();
        presence = s.presence();
        routing = s.routing();
    }

    @AfterEach
    void tearDown() {
        closeStores();
    }

    // ---- helpers ----

    /** A connected, available member who became idle at {@code idleSince}. */
    StaffPresence available(String id, int capacity, Set<String> skills, Set<String> languages, long idleSince) {
        presence.connect(new StaffProfile(Subject.of(id), "Staff " + id, skills, languages, capacity), idleSince);
        return presence.setStatus(Subject.of(id), StaffStatus.AVAILABLE, idleSince).orElseThrow();
    }

    StaffPresence available(String id, long idleSince) {
        return available(id, 1, Set.of("loans"), Set.of("en"), idleSince);
    }

    static ServiceRequest request(String id, String topic, String language, int priority, long enqueuedAt) {
        return new ServiceRequest(RequestId.of(id), Subject.of("cust-" + id), "Customer " + id, topic, language, priority,
                Map.of("page", "/" + id), enqueuedAt, ORDER.rank(enqueuedAt, priority));
    }

    ServiceRequest enqueue(String id, long enqueuedAt) {
        return enqueue(request(id, "loans", "en", 0, enqueuedAt));
    }

    ServiceRequest enqueue(ServiceRequest r) {
        routing.enqueue(r);
        return r;
    }

    int load(String staffId) {
        return presence.get(Subject.of(staffId)).orElseThrow().load();
    }

    // ---- enqueue and lookups ----

    @Test
    void enqueuedRequestIsWaitingAndCanBeReadBack() {
        ServiceRequest r = enqueue(new ServiceRequest(RequestId.of("r1"), Subject.of("c1"), "Zhang San 张三", "loans", "zh", 3,
                Map.of("tier", "gold", "page", "/mortgage?x=\"y\""), T0, ORDER.rank(T0, 3)));

        assertEquals(Optional.of(r), routing.request(RequestId.of("r1")));
        assertEquals(Optional.of(RequestState.WAITING), routing.state(RequestId.of("r1")));
        assertEquals(Optional.of(RequestId.of("r1")), routing.openRequestOf(Subject.of("c1")));
        assertEquals(Optional.of(1), routing.position(RequestId.of("r1")));
        assertTrue(routing.offerOf(RequestId.of("r1")).isEmpty());
    }

    @Test
    void unknownRequestsAreEmpty() {
        assertTrue(routing.request(RequestId.of("nope")).isEmpty());
        assertTrue(routing.state(RequestId.of("nope")).isEmpty());
        assertTrue(routing.openRequestOf(Subject.of("nobody")).isEmpty());
        assertTrue(routing.position(RequestId.of("nope")).isEmpty());
        assertTrue(routing.offerOf(RequestId.of("nope")).isEmpty());
        assertTrue(routing.matchRequest(RequestId.of("nope"), T0, RING).isEmpty());
        assertTrue(routing.matchStaff(Subject.of("nobody"), T0, RING).isEmpty());
        assertTrue(routing.accept(RequestId.of("nope"), Subject.of("s"), T0).isEmpty());
        assertFalse(routing.release(RequestId.of("nope"), Subject.of("s"), ReleaseReason.DECLINED, T0, 0, false));
        assertTrue(routing.cancel(RequestId.of("nope"), T0).isEmpty());
        routing.callEnded(Subject.of("nobody"), T0);
        assertTrue(presence.get(Subject.of("nobody")).isEmpty());
    }

    @Test
    void enqueueAnswersThePlaceInTheQueueAsPositionWould() {
        assertEquals(1, routing.enqueue(request("r1", "loans", "en", 0, T0)));
        assertEquals(2, routing.enqueue(request("r2", "loans", "en", 0, T0 + 1)));
        assertEquals(1, routing.enqueue(request("r3", "loans", "zh", 0, T0 + 2)), "another language, another queue");
        int urgent = routing.enqueue(request("r4", "loans", "en", 9, T0 + 3));
        assertEquals(routing.position(RequestId.of("r4")).orElseThrow(), urgent);
        assertEquals(0, routing.enqueue(colleagueTransfer("t1", "s-named", T0 + 4)), "waits in no queue");
    }

    @Test
    void aCustomerHasOneOpenRequestAndIdsAreUnique() {
        enqueue("r1", T0);
        ServiceRequest sameCustomer = new ServiceRequest(RequestId.of("r2"), Subject.of("cust-r1"), "x", "loans", "en", 0, Map.of(), T0, T0);
        assertThrows(IllegalStateException.class, () -> routing.enqueue(sameCustomer));
        ServiceRequest sameId = new ServiceRequest(RequestId.of("r1"), Subject.of("other"), "x", "loans", "en", 0, Map.of(), T0, T0);
        assertThrows(IllegalStateException.class, () -> routing.enqueue(sameId));
        assertTrue(routing.openRequestOf(Subject.of("other")).isEmpty());
        assertTrue(routing.request(RequestId.of("r2")).isEmpty());
    }

    // ---- matchRequest ----

    @Test
    void matchRequestOffersTheLongestIdleMember() {
        available("s-late", T0 + 20);
        available("s-early", T0 + 10);
        available("s-latest", T0 + 30);
        enqueue("r1", T0 + 100);

        Offer offer = routing.matchRequest(RequestId.of("r1"), T0 + 200, RING).orElseThrow();

        assertEquals(new Offer(RequestId.of("r1"), Subject.of("s-early"), T0 + 200, T0 + 200 + RING, true), offer);
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(RequestId.of("r1")));
        assertEquals(Optional.of(stored(offer)), routing.offerOf(RequestId.of("r1")));
        assertEquals(1, load("s-early"));
        assertEquals(0, load("s-late"));
        assertTrue(routing.position(RequestId.of("r1")).isEmpty(), "an offered request has no queue position");
        assertEquals(Optional.of(RequestId.of("r1")), routing.openRequestOf(Subject.of("cust-r1")), "an offered request is still open");
    }

    @Test
    void equallyIdleMembersAreOfferedInIdOrder() {
        available("s-b", T0);
        available("s-a", T0);
        available("s-c", T0);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);

        assertEquals(Subject.of("s-a"), routing.matchRequest(RequestId.of("r1"), T0 + 5, RING).orElseThrow().staffId());
        assertEquals(Subject.of("s-b"), routing.matchRequest(RequestId.of("r2"), T0 + 5, RING).orElseThrow().staffId());
    }

    @Test
    void matchRequestOnlyOffersWaitingRequests() {
        available("s1", T0);
        available("s2", T0 + 1);
        enqueue("r1", T0);
        routing.matchRequest(RequestId.of("r1"), T0, RING).orElseThrow();

        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 1, RING).isEmpty(), "already offered");
        assertEquals(0, load("s2"));
    }

    @Test
    void skillAndLanguageMustBothMatch() {
        available("s-cards-en", 1, Set.of("cards"), Set.of("en"), T0);
        available("s-loans-zh", 1, Set.of("loans"), Set.of("zh"), T0);
        enqueue(request("r1", "loans", "en", 0, T0));
        assertTrue(routing.matchRequest(RequestId.of("r1"), T0, RING).isEmpty());

        available("s-both", 1, Set.of("cards", "loans"), Set.of("zh", "en"), T0 + 50);
        assertEquals(Subject.of("s-both"), routing.matchRequest(RequestId.of("r1"), T0, RING).orElseThrow().staffId());
    }

    @Test
    void awayOfflineAndDisconnectedMembersAreNotOffered() {
        available("s-away", T0);
        presence.setStatus(Subject.of("s-away"), StaffStatus.AWAY, T0);
        available("s-offline", T0);
        presence.setStatus(Subject.of("s-offline"), StaffStatus.OFFLINE, T0);
        available("s-gone", T0);
        presence.disconnect(Subject.of("s-gone"), T0);
        enqueue("r1", T0);

        assertTrue(routing.matchRequest(RequestId.of("r1"), T0, RING).isEmpty());
        assertTrue(routing.matchStaff(Subject.of("s-away"), T0, RING).isEmpty());
        assertTrue(routing.matchStaff(Subject.of("s-offline"), T0, RING).isEmpty());
        assertTrue(routing.matchStaff(Subject.of("s-gone"), T0, RING).isEmpty());

        presence.setStatus(Subject.of("s-away"), StaffStatus.AVAILABLE, T0 + 1);
        assertEquals(Subject.of("s-away"), routing.matchRequest(RequestId.of("r1"), T0 + 2, RING).orElseThrow().staffId());
    }

    @Test
    void removedMembersAreNotOffered() {
        available("s1", T0);
        presence.remove(Subject.of("s1"));
        enqueue("r1", T0);
        assertTrue(routing.matchRequest(RequestId.of("r1"), T0, RING).isEmpty());
    }

    @Test
    void aChangedProfileChangesWhatIsOffered() {
        available("s1", 1, Set.of("loans"), Set.of("en"), T0);
        presence.connect(new StaffProfile(Subject.of("s1"), "Staff s1", Set.of("cards"), Set.of("en"), 1), T0 + 1);
        enqueue(request("r-loans", "loans", "en", 0, T0));
        enqueue(request("r-cards", "cards", "en", 0, T0 + 1));

        assertTrue(routing.matchRequest(RequestId.of("r-loans"), T0 + 2, RING).isEmpty());
        assertEquals(Subject.of("s1"), routing.matchRequest(RequestId.of("r-cards"), T0 + 2, RING).orElseThrow().staffId());
    }

    @Test
    void capacityLimitsOffers() {
        available("s1", 2, Set.of("loans"), Set.of("en"), T0);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        enqueue("r3", T0 + 2);

        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).isPresent());
        assertTrue(routing.matchRequest(RequestId.of("r2"), T0 + 10, RING).isPresent());
        assertTrue(routing.matchRequest(RequestId.of("r3"), T0 + 10, RING).isEmpty(), "capacity 2 gets two offers, not three");
        assertTrue(routing.matchStaff(Subject.of("s1"), T0 + 10, RING).isEmpty());

        StaffPresence full = presence.get(Subject.of("s1")).orElseThrow();
        assertEquals(2, full.load());
        assertEquals(StaffStatus.BUSY, full.effectiveStatus());
        assertEquals(StaffStatus.AVAILABLE, full.status());
    }

    // ---- offerTo ----

    @Test
    void offerToOffersThatMemberWhateverTheQueueAndOnlyIfTheyCanTakeIt() {
        available("s-cards", 1, Set.of("cards"), Set.of("zh"), T0);
        available("s-loans", T0 - 100);
        enqueue(colleagueTransfer("r1", "s-cards", T0));
        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 1, RING).isEmpty(), "a transfer to a named colleague waits in no queue");
        assertTrue(routing.matchStaff(Subject.of("s-loans"), T0 + 1, RING).isEmpty(), "not even for someone with the call's skill");
        assertTrue(routing.position(RequestId.of("r1")).isEmpty());
        assertEquals(0, routing.stats(List.of("loans")).get(0).waiting(), "nor in the topic's queue figures");

        Offer offer = routing.offerTo(RequestId.of("r1"), Subject.of("s-cards"), T0 + 2, RING).orElseThrow();
        assertEquals(Subject.of("s-cards"), offer.staffId());
        assertEquals(T0 + 2 + RING, offer.expiresAtMs());
        assertEquals(RequestState.OFFERED, routing.state(RequestId.of("r1")).orElseThrow());
        assertEquals(1, load("s-cards"));
        assertTrue(routing.offerTo(RequestId.of("r1"), Subject.of("s-loans"), T0 + 3, RING).isEmpty(), "already offered");

        // Declined: excluded for a while, then it can be offered again.
        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s-cards"), ReleaseReason.DECLINED, T0 + 4, 1_000, false));
        assertTrue(routing.offerTo(RequestId.of("r1"), Subject.of("s-cards"), T0 + 5, RING).isEmpty(), "excluded after declining");
        assertTrue(routing.matchStaff(Subject.of("s-loans"), T0 + 6, RING).isEmpty(), "released, it is still in no queue");
        assertEquals(0, routing.stats(List.of("loans")).get(0).waiting());
        assertTrue(routing.offerTo(RequestId.of("r1"), Subject.of("s-cards"), T0 + 1_005, RING).isPresent());
        assertEquals(0, routing.stats(List.of("loans")).get(0).offered());
    }

    @Test
    void transfersAreReadBackWithTheirTypedFields() {
        ServiceRequest toQueue = enqueue(new ServiceRequest(RequestId.of("t1"), Subject.of("c1"), "Li Wei", "loans", "en", 0, Map.of(), T0,
                ORDER.rank(T0, 0), Transfer.toQueue(CallId.of("call-1"), "Zhang \"Min\" 张敏")));
        ServiceRequest toColleague = enqueue(colleagueTransfer("t2", "s-cards", T0 + 1));
        ServiceRequest own = enqueue("r3", T0 + 2);

        assertEquals(Optional.of(toQueue), routing.request(RequestId.of("t1")));
        assertEquals(Optional.of(toColleague), routing.request(RequestId.of("t2")));
        assertEquals(Optional.of(own), routing.request(RequestId.of("r3")));
        assertFalse(routing.request(RequestId.of("r3")).orElseThrow().isTransfer());
        assertEquals(Optional.of(1), routing.position(RequestId.of("t1")), "a transfer to a queue waits in it");
        available("s-loans", T0);
        assertEquals(toQueue, routing.accept(routing.matchStaff(Subject.of("s-loans"), T0 + 3, RING).orElseThrow().requestId(),
                Subject.of("s-loans"), T0 + 4).orElseThrow().request());
    }

    /** A transfer of call-of-{@code id} meant for one colleague only, about the call's topic (loans). */
    static ServiceRequest colleagueTransfer(String id, String colleagueId, long enqueuedAt) {
        return new ServiceRequest(RequestId.of(id), Subject.of("cust-" + id), "Customer " + id, "loans", "en", 0, Map.of(), enqueuedAt,
                ORDER.rank(enqueuedAt, 0), Transfer.toColleague(CallId.of("call-of-" + id), "Zhang Min", Subject.of(colleagueId)));
    }

    @Test
    void offerToRefusesMembersWhoCannotTakeAnOfferNow() {
        available("s-away", T0);
        presence.setStatus(Subject.of("s-away"), StaffStatus.AWAY, T0);
        available("s-full", 1, Set.of("loans"), Set.of("en"), T0);
        enqueue("r0", T0);
        routing.offerTo(RequestId.of("r0"), Subject.of("s-full"), T0, RING).orElseThrow();
        enqueue("r1", T0 + 1);
        assertTrue(routing.offerTo(RequestId.of("r1"), Subject.of("s-away"), T0 + 2, RING).isEmpty());
        assertTrue(routing.offerTo(RequestId.of("r1"), Subject.of("s-full"), T0 + 2, RING).isEmpty(), "at capacity");
        assertTrue(routing.offerTo(RequestId.of("r1"), Subject.of("nobody"), T0 + 2, RING).isEmpty());
        assertTrue(routing.offerTo(RequestId.of("nope"), Subject.of("s-away"), T0 + 2, RING).isEmpty());
        assertEquals(RequestState.WAITING, routing.state(RequestId.of("r1")).orElseThrow());
    }

    // ---- matchStaff ----

    @Test
    void matchStaffTakesTheLowestRankAcrossTheMembersQueues() {
        available("s1", 1, Set.of("loans", "cards"), Set.of("en", "zh"), T0);
        enqueue(request("r-loans-en", "loans", "en", 0, T0 + 300));
        enqueue(request("r-cards-zh", "cards", "zh", 0, T0 + 100));
        enqueue(request("r-fx-en", "fx", "en", 0, T0)); // not the member's skill
        enqueue(request("r-loans-fr", "loans", "fr", 0, T0)); // not the member's language

        Offer offer = routing.matchStaff(Subject.of("s1"), T0 + 1000, RING).orElseThrow();

        assertEquals(new Offer(RequestId.of("r-cards-zh"), Subject.of("s1"), T0 + 1000, T0 + 1000 + RING, true), offer);
        assertEquals(1, load("s1"));
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(RequestId.of("r-cards-zh")));
    }

    @Test
    void priorityBringsARequestForwardByEscalationSteps() {
        available("s1", 3, Set.of("loans"), Set.of("en"), T0);
        enqueue(request("r-normal-old", "loans", "en", 0, T0));                 // rank T0
        enqueue(request("r-p2-new", "loans", "en", 2, T0 + STEP));             // rank T0 - STEP
        enqueue(request("r-p1-newer", "loans", "en", 1, T0 + STEP / 2));        // rank T0 - STEP/2

        assertEquals(Optional.of(1), routing.position(RequestId.of("r-p2-new")));
        assertEquals(Optional.of(2), routing.position(RequestId.of("r-p1-newer")));
        assertEquals(Optional.of(3), routing.position(RequestId.of("r-normal-old")));
        assertEquals(RequestId.of("r-p2-new"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
        assertEquals(RequestId.of("r-p1-newer"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
        assertEquals(RequestId.of("r-normal-old"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
    }

    @Test
    void equalRanksGoByEnqueueTimeThenId() {
        available("s1", 3, Set.of("loans"), Set.of("en"), T0);
        // All rank T0: "r-a" enqueued a step later with priority 1, the others at T0 with priority 0.
        enqueue(request("r-a", "loans", "en", 1, T0 + STEP));
        enqueue(request("r-c", "loans", "en", 0, T0));
        enqueue(request("r-b", "loans", "en", 0, T0));

        assertEquals(Optional.of(1), routing.position(RequestId.of("r-b")));
        assertEquals(Optional.of(2), routing.position(RequestId.of("r-c")));
        assertEquals(Optional.of(3), routing.position(RequestId.of("r-a")));
        assertEquals(RequestId.of("r-b"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
        assertEquals(RequestId.of("r-c"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
        assertEquals(RequestId.of("r-a"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
    }

    @Test
    void equalRanksAcrossQueuesGoByEnqueueTimeThenId() {
        available("s1", 3, Set.of("loans", "cards"), Set.of("en"), T0);
        enqueue(request("r-z", "loans", "en", 0, T0));
        enqueue(request("r-y", "cards", "en", 1, T0 + STEP));
        enqueue(request("r-x", "cards", "en", 0, T0));

        assertEquals(RequestId.of("r-x"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
        assertEquals(RequestId.of("r-z"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
        assertEquals(RequestId.of("r-y"), routing.matchStaff(Subject.of("s1"), T0 + STEP, RING).orElseThrow().requestId());
    }

    @Test
    void matchStaffFindsNothingWhenNoQueueFits() {
        available("s1", 1, Set.of("loans"), Set.of("en"), T0);
        assertTrue(routing.matchStaff(Subject.of("s1"), T0, RING).isEmpty());
        enqueue(request("r1", "cards", "en", 0, T0));
        assertTrue(routing.matchStaff(Subject.of("s1"), T0, RING).isEmpty());
        assertEquals(0, load("s1"));
    }

    // ---- accept ----

    @Test
    void onlyTheOfferedMemberAcceptsAndOnlyBeforeExpiry() {
        available("s1", T0);
        available("s2", T0 + 1);
        ServiceRequest r = enqueue("r1", T0);
        Offer offer = routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();

        assertTrue(routing.accept(RequestId.of("r1"), Subject.of("s2"), T0 + 11).isEmpty(), "not offered to s2");
        assertTrue(routing.accept(RequestId.of("r1"), Subject.of("s1"), offer.expiresAtMs()).isEmpty(), "expired");
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(RequestId.of("r1")));

        Accepted accepted = routing.accept(RequestId.of("r1"), Subject.of("s1"), offer.expiresAtMs() - 1).orElseThrow();
        assertEquals(r, accepted.request());
        assertEquals(stored(offer), accepted.offer(), "the offer accepted, with its time");

        assertTrue(routing.state(RequestId.of("r1")).isEmpty());
        assertTrue(routing.request(RequestId.of("r1")).isEmpty());
        assertTrue(routing.offerOf(RequestId.of("r1")).isEmpty());
        assertTrue(routing.openRequestOf(Subject.of("cust-r1")).isEmpty());
        assertEquals(1, load("s1"), "the offer became a call");
        assertTrue(routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 12).isEmpty(), "only once");

        enqueue(new ServiceRequest(RequestId.of("r1-again"), Subject.of("cust-r1"), "x", "loans", "en", 0, Map.of(), T0 + 20, T0 + 20));
        assertEquals(Optional.of(RequestId.of("r1-again")), routing.openRequestOf(Subject.of("cust-r1")));
    }

    @Test
    void aWaitingRequestCannotBeAccepted() {
        available("s1", T0);
        enqueue("r1", T0);
        assertTrue(routing.accept(RequestId.of("r1"), Subject.of("s1"), T0).isEmpty());
        assertEquals(Optional.of(RequestState.WAITING), routing.state(RequestId.of("r1")));
    }

    // ---- release and exclusion ----

    @Test
    void releaseReturnsTheRequestToItsPlaceAndExcludesTheMemberForAWhile() {
        available("s1", T0);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        enqueue("r3", T0 + 2);
        assertEquals(RequestId.of("r1"), routing.matchStaff(Subject.of("s1"), T0 + 10, RING).orElseThrow().requestId());
        assertEquals(Optional.of(1), routing.position(RequestId.of("r2")));

        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 20, 30_000, false));

        assertEquals(Optional.of(RequestState.WAITING), routing.state(RequestId.of("r1")));
        assertTrue(routing.offerOf(RequestId.of("r1")).isEmpty());
        assertEquals(Optional.of(1), routing.position(RequestId.of("r1")));
        assertEquals(Optional.of(2), routing.position(RequestId.of("r2")));
        assertEquals(Optional.of(3), routing.position(RequestId.of("r3")));
        assertEquals(0, load("s1"));
        assertEquals(Optional.of(RequestId.of("r1")), routing.openRequestOf(Subject.of("cust-r1")));

        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 21, RING).isEmpty(), "s1 is excluded from r1");
        assertEquals(RequestId.of("r2"), routing.matchStaff(Subject.of("s1"), T0 + 21, RING).orElseThrow().requestId(),
                "s1 skips r1 but still gets the next one");
        assertTrue(routing.release(RequestId.of("r2"), Subject.of("s1"), ReleaseReason.TIMEOUT, T0 + 22, 0, false));

        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 20 + 30_000 - 1, RING).isEmpty(), "still excluded");
        assertEquals(Subject.of("s1"), routing.matchRequest(RequestId.of("r1"), T0 + 20 + 30_000, RING).orElseThrow().staffId(),
                "the re-offer delay has passed");
    }

    @Test
    void theOffersRingingAtAMemberAreListedUntilTheyStopRinging() {
        available("s1", 2, Set.of("loans"), Set.of("en"), T0);
        available("s2", 1, Set.of("loans"), Set.of("en"), T0 + 1);
        enqueue("r1", T0 + 2);
        enqueue("r2", T0 + 3);
        enqueue("r3", T0 + 4);
        routing.offerTo(RequestId.of("r1"), Subject.of("s1"), T0 + 10, RING).orElseThrow();
        routing.offerTo(RequestId.of("r2"), Subject.of("s1"), T0 + 11, RING).orElseThrow();
        routing.offerTo(RequestId.of("r3"), Subject.of("s2"), T0 + 12, RING).orElseThrow();

        assertEquals(List.of(RequestId.of("r1"), RequestId.of("r2")),
                routing.ringingOffersTo(Subject.of("s1"), T0 + 20).stream().map(Offer::requestId).toList());
        Offer first = routing.ringingOffersTo(Subject.of("s1"), T0 + 20).get(0);
        assertEquals(T0 + 10, first.offeredAtMs());
        assertEquals(T0 + 10 + RING, first.expiresAtMs());

        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 21, 0, false));
        assertTrue(routing.accept(RequestId.of("r3"), Subject.of("s2"), T0 + 21).isPresent());
        assertEquals(List.of(RequestId.of("r2")),
                routing.ringingOffersTo(Subject.of("s1"), T0 + 22).stream().map(Offer::requestId).toList());
        assertEquals(List.of(), routing.ringingOffersTo(Subject.of("s2"), T0 + 22), "accepted: a call, not an offer");
        assertEquals(List.of(), routing.ringingOffersTo(Subject.of("s1"), T0 + 11 + RING), "rang out");
        routing.cancel(RequestId.of("r2"), T0 + 23);
        assertEquals(List.of(), routing.ringingOffersTo(Subject.of("s1"), T0 + 24), "cancelled");
    }

    @Test
    void offersSpreadOverMembersWithRoomLeastLoadedFirstThenLongestIdle() {
        available("long-idle", 3, Set.of("loans"), Set.of("en"), T0);
        available("short-idle", 3, Set.of("loans"), Set.of("en"), T0 + 100);
        for (int i = 1; i <= 4; i++) {
            enqueue("r" + i, T0 + 200 + i);
        }
        List<String> to = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            to.add(routing.matchRequest(RequestId.of("r" + i), T0 + 300, RING).orElseThrow().staffId().value());
        }
        assertEquals(List.of("long-idle", "short-idle", "long-idle", "short-idle"), to,
                "not three in a row to the longest idle");
        assertEquals(2, load("long-idle"));
        assertEquals(2, load("short-idle"));
    }

    @Test
    void anOfferThatRangOutFreesTheMemberAndSetsThemAwayInOneStep() {
        available("s1", T0);
        available("s2", T0 + 5);
        enqueue("r1", T0);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        enqueue("r2", T0 + 11); // s2 takes it; nobody else is free
        assertEquals(Subject.of("s2"), routing.matchRequest(RequestId.of("r2"), T0 + 11, RING).orElseThrow().staffId());
        enqueue("r3", T0 + 12);

        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.TIMEOUT, T0 + 20, 0, true));
        StaffPresence s1 = presence.get(Subject.of("s1")).orElseThrow();
        assertEquals(StaffStatus.AWAY, s1.status());
        assertEquals(0, s1.load());
        assertTrue(routing.matchRequest(RequestId.of("r3"), T0 + 21, RING).isEmpty(), "s1 is away, s2 is full");
        assertTrue(routing.matchStaff(Subject.of("s1"), T0 + 21, RING).isEmpty());
        assertEquals(RequestId.of("r1"), routing.openRequestOf(Subject.of("cust-r1")).orElseThrow(), "r1 waits again");
    }

    @Test
    void anExcludedMemberIsSkippedForTheNextLongestIdle() {
        available("s1", T0);
        available("s2", T0 + 5);
        enqueue("r1", T0);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.TIMEOUT, T0 + 20, 30_000, false);

        assertEquals(Subject.of("s2"), routing.matchRequest(RequestId.of("r1"), T0 + 21, RING).orElseThrow().staffId());
    }

    @Test
    void onlyTheOfferedMemberReleases() {
        available("s1", T0);
        available("s2", T0 + 1);
        enqueue("r1", T0);
        assertFalse(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0, 0, false), "not offered yet");
        routing.matchRequest(RequestId.of("r1"), T0, RING).orElseThrow();

        assertFalse(routing.release(RequestId.of("r1"), Subject.of("s2"), ReleaseReason.DECLINED, T0 + 1, 0, false));
        assertEquals(Optional.of(RequestState.OFFERED), routing.state(RequestId.of("r1")));
        assertEquals(1, load("s1"));
        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 1, 0, false));
        assertFalse(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 1, 0, false), "only once");
        assertEquals(0, load("s1"));
    }

    @Test
    void releasingKeepsTheIdlePeriod() {
        available("s1", T0);
        available("s2", T0 + 5);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 20, 60_000, false);

        assertEquals(T0, presence.get(Subject.of("s1")).orElseThrow().idleSinceMs());
        assertEquals(Subject.of("s1"), routing.matchRequest(RequestId.of("r2"), T0 + 30, RING).orElseThrow().staffId());
    }

    // ---- cancel ----

    @Test
    void cancellingAWaitingRequestTakesItOutOfRouting() {
        enqueue("r1", T0);
        ServiceRequest r2 = enqueue("r2", T0 + 1);

        Cancelled c = routing.cancel(RequestId.of("r2"), T0 + 5).orElseThrow();

        assertEquals(new Cancelled(r2, Optional.empty()), c);
        assertTrue(routing.state(RequestId.of("r2")).isEmpty());
        assertTrue(routing.openRequestOf(Subject.of("cust-r2")).isEmpty());
        assertTrue(routing.position(RequestId.of("r2")).isEmpty());
        assertEquals(Optional.of(1), routing.position(RequestId.of("r1")));
        assertTrue(routing.cancel(RequestId.of("r2"), T0 + 6).isEmpty(), "only once");
        assertEquals(List.of(new QueueStats("loans", 1, 0, T0)), routing.stats(List.of("loans")));
    }

    @Test
    void cancellingAnOfferedRequestGivesLoadBackAndReturnsTheOffer() {
        available("s1", T0);
        ServiceRequest r = enqueue("r1", T0);
        Offer offer = routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();

        Cancelled c = routing.cancel(RequestId.of("r1"), T0 + 11).orElseThrow();

        assertEquals(new Cancelled(r, Optional.of(stored(offer))), c);
        assertEquals(0, load("s1"));
        assertTrue(routing.offerOf(RequestId.of("r1")).isEmpty());
        assertTrue(routing.expiredOffers(offer.expiresAtMs() + 1, 10).isEmpty());
        assertTrue(routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 12).isEmpty());
        assertTrue(routing.openRequestOf(Subject.of("cust-r1")).isEmpty());
    }

    // ---- calls ending ----

    @Test
    void callEndedLowersLoadAndStartsANewIdlePeriodAtZero() {
        available("s1", 2, Set.of("loans"), Set.of("en"), T0);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        routing.matchStaff(Subject.of("s1"), T0 + 10, RING).orElseThrow();
        routing.matchStaff(Subject.of("s1"), T0 + 10, RING).orElseThrow();
        routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 11).orElseThrow();
        routing.accept(RequestId.of("r2"), Subject.of("s1"), T0 + 11).orElseThrow();

        routing.callEnded(Subject.of("s1"), T0 + 100);
        assertEquals(1, load("s1"));
        assertEquals(T0, presence.get(Subject.of("s1")).orElseThrow().idleSinceMs(), "still in a call: not idle");

        routing.callEnded(Subject.of("s1"), T0 + 200);
        assertEquals(0, load("s1"));
        assertEquals(T0 + 200, presence.get(Subject.of("s1")).orElseThrow().idleSinceMs());

        routing.callEnded(Subject.of("s1"), T0 + 300);
        assertEquals(0, load("s1"), "never below zero");
        assertEquals(T0 + 200, presence.get(Subject.of("s1")).orElseThrow().idleSinceMs());
    }

    @Test
    void restoreLoadSetsTheLoadAndRoutabilityFollows() {
        available("s1", 1, Set.of("loans"), Set.of("en"), T0);
        assertTrue(routing.restoreLoad(Subject.of("s1"), 1));
        assertEquals(1, load("s1"));
        enqueue("r1", T0 + 1);
        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 2, RING).isEmpty(), "full: not offered");
        assertTrue(routing.restoreLoad(Subject.of("s1"), 0));
        assertEquals(T0, presence.get(Subject.of("s1")).orElseThrow().idleSinceMs(), "keeps the idle period");
        assertEquals(Subject.of("s1"), routing.matchRequest(RequestId.of("r1"), T0 + 3, RING).orElseThrow().staffId());
        assertFalse(routing.restoreLoad(Subject.of("nobody"), 1));
        assertTrue(presence.get(Subject.of("nobody")).isEmpty());
    }

    @Test
    void restoreLoadCountsTheOffersRingingAtTheMember() {
        available("s1", 3, Set.of("loans"), Set.of("en"), T0);
        enqueue("r1", T0 + 1);
        routing.matchRequest(RequestId.of("r1"), T0 + 2, RING).orElseThrow();
        assertTrue(routing.restoreLoad(Subject.of("s1"), 1));
        assertEquals(2, load("s1"), "one live call and the offer ringing");
        routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 3, 1_000, false);
        assertTrue(routing.restoreLoad(Subject.of("s1"), 1));
        assertEquals(1, load("s1"), "a released offer no longer counts");
    }

    @Test
    void aCallEndingMakesTheMemberLastInIdleOrder() {
        available("s1", T0);
        available("s2", T0 + 5);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 11).orElseThrow();
        routing.callEnded(Subject.of("s1"), T0 + 100);

        assertEquals(Subject.of("s2"), routing.matchRequest(RequestId.of("r2"), T0 + 101, RING).orElseThrow().staffId());
    }

    @Test
    void aCallEndingWhileAwayDoesNotStartAnIdlePeriod() {
        available("s1", T0);
        enqueue("r1", T0);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 11).orElseThrow();
        presence.setStatus(Subject.of("s1"), StaffStatus.AWAY, T0 + 50);
        routing.callEnded(Subject.of("s1"), T0 + 100);

        StaffPresence p = presence.get(Subject.of("s1")).orElseThrow();
        assertEquals(0, p.load());
        assertEquals(T0, p.idleSinceMs());
        assertEquals(T0 + 150, presence.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0 + 150).orElseThrow().idleSinceMs());
    }

    // ---- presence and load together ----

    @Test
    void disconnectAndReconnectKeepStatusAndLoad() {
        available("s1", 2, Set.of("loans"), Set.of("en"), T0);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();

        StaffPresence gone = presence.disconnect(Subject.of("s1"), T0 + 20).orElseThrow();
        assertEquals(1, gone.load());
        assertEquals(StaffStatus.AVAILABLE, gone.status());
        assertTrue(routing.matchRequest(RequestId.of("r2"), T0 + 21, RING).isEmpty(), "not offered while disconnected");
        assertTrue(routing.matchStaff(Subject.of("s1"), T0 + 21, RING).isEmpty());

        StaffPresence back = presence.connect(new StaffProfile(Subject.of("s1"), "Staff s1", Set.of("loans"), Set.of("en"), 2),
                T0 + 30);
        assertEquals(1, back.load());
        assertEquals(StaffStatus.AVAILABLE, back.status());
        assertEquals(Subject.of("s1"), routing.matchRequest(RequestId.of("r2"), T0 + 31, RING).orElseThrow().staffId());
        assertEquals(2, load("s1"));
    }

    @Test
    void becomingAvailableWhileInACallKeepsTheIdlePeriod() {
        available("s1", 2, Set.of("loans"), Set.of("en"), T0);
        enqueue("r1", T0);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        presence.setStatus(Subject.of("s1"), StaffStatus.AWAY, T0 + 20);
        StaffPresence p = presence.setStatus(Subject.of("s1"), StaffStatus.AVAILABLE, T0 + 30).orElseThrow();
        assertEquals(T0, p.idleSinceMs(), "load is not 0, so no new idle period");
        assertEquals(1, p.load());
    }

    // ---- expired offers ----

    @Test
    void expiredOffersAreListedOldestFirstWithoutChangingAnything() {
        available("s1", T0);
        available("s2", T0 + 1);
        available("s3", T0 + 2);
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        enqueue("r3", T0 + 2);
        Offer o2 = routing.matchRequest(RequestId.of("r2"), T0 + 10, 1_000).orElseThrow();
        Offer o1 = routing.matchRequest(RequestId.of("r1"), T0 + 20, 1_000).orElseThrow();
        routing.matchRequest(RequestId.of("r3"), T0 + 30, 5_000).orElseThrow();

        o1 = stored(o1);
        o2 = stored(o2);
        assertEquals(List.of(), routing.expiredOffers(T0 + 10 + 999, 10));
        assertEquals(List.of(o2), routing.expiredOffers(T0 + 10 + 1_000, 10), "due at expiresAt");
        assertEquals(List.of(o2, o1), routing.expiredOffers(T0 + 4_000, 10));
        assertEquals(List.of(o2), routing.expiredOffers(T0 + 4_000, 1));
        assertEquals(List.of(), routing.expiredOffers(T0 + 4_000, 0));

        assertEquals(Optional.of(RequestState.OFFERED), routing.state(RequestId.of("r2")));
        assertEquals(Optional.of(o2), routing.offerOf(RequestId.of("r2")));
        assertEquals(1, load("s2"));

        routing.release(RequestId.of("r2"), o2.staffId(), ReleaseReason.TIMEOUT, T0 + 4_000, 0, false);
        assertEquals(List.of(o1), routing.expiredOffers(T0 + 4_000, 10));
    }

    // ---- position and stats ----

    @Test
    void positionIsPerQueueAndOneBased() {
        enqueue(request("r1", "loans", "en", 0, T0));
        enqueue(request("r2", "loans", "zh", 0, T0 + 1));
        enqueue(request("r3", "loans", "en", 0, T0 + 2));
        enqueue(request("r4", "cards", "en", 0, T0 + 3));

        assertEquals(Optional.of(1), routing.position(RequestId.of("r1")));
        assertEquals(Optional.of(1), routing.position(RequestId.of("r2")));
        assertEquals(Optional.of(2), routing.position(RequestId.of("r3")));
        assertEquals(Optional.of(1), routing.position(RequestId.of("r4")));

        routing.cancel(RequestId.of("r1"), T0 + 10);
        assertEquals(Optional.of(1), routing.position(RequestId.of("r3")));
    }

    @Test
    void statsCountWaitingAndOfferedPerTopicAcrossLanguages() {
        available("s1", 1, Set.of("loans"), Set.of("zh"), T0);
        enqueue(request("r1", "loans", "zh", 0, T0 + 100));
        enqueue(request("r2", "loans", "en", 0, T0 + 200));
        enqueue(request("r3", "loans", "en", 5, T0 + 300));
        enqueue(request("r4", "cards", "en", 0, T0 + 400));
        routing.matchRequest(RequestId.of("r1"), T0 + 500, RING).orElseThrow();

        assertEquals(List.of(
                        new QueueStats("loans", 2, 1, T0 + 200),
                        new QueueStats("cards", 1, 0, T0 + 400),
                        new QueueStats("fx", 0, 0, 0)),
                routing.stats(List.of("loans", "cards", "fx")));
        assertEquals(List.of(), routing.stats(List.of()));

        routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 501).orElseThrow();
        assertEquals(List.of(new QueueStats("loans", 2, 0, T0 + 200)), routing.stats(List.of("loans")));
    }

    @Test
    void loadsCountEachQueuesWaitingAndRingingRequestsAndTheOldestOfThem() {
        available("s1", 1, Set.of("loans"), Set.of("zh"), T0);
        enqueue(request("r1", "loans", "zh", 0, T0 + 100));
        enqueue(request("r2", "loans", "en", 0, T0 + 200));
        enqueue(request("r3", "loans", "en", 5, T0 + 300));
        enqueue(request("r4", "cards", "en", 0, T0 + 400));
        enqueue(request("r5", "loans", "zh", 0, T0 + 450));
        routing.matchRequest(RequestId.of("r1"), T0 + 500, RING).orElseThrow();

        assertEquals(List.of(
                        new QueueLoad("loans", "en", 2, 0, T0 + 200),
                        new QueueLoad("loans", "zh", 1, 1, T0 + 100),
                        new QueueLoad("cards", "en", 1, 0, T0 + 400)),
                routing.loads(List.of("loans", "cards", "fx")), "a ringing request still counts as the oldest wait");
        assertEquals(List.of(), routing.loads(List.of()));

        routing.accept(RequestId.of("r1"), Subject.of("s1"), T0 + 501).orElseThrow();
        assertEquals(List.of(new QueueLoad("loans", "zh", 1, 0, T0 + 450)),
                routing.loads(List.of("loans")).stream().filter(l -> l.language().equals("zh")).toList());
    }

    // ---- concurrency ----

    /**
     * Eight threads match, accept, release and end calls at random over 300 requests and 20 staff. The
     * test's own bookkeeping lets exactly one thread act on each offer it saw made, so any offer the store
     * makes while the bookkeeping still holds one for that request is a double offer.
     */
    @Test
    void concurrentRoutingNeverDoubleOffersNorOverloadsNorLosesRequests() throws Exception {
        int staffCount = 20;
        int requestCount = 300;
        int threads = 8;
        int opsPerThread = 700;
        List<String> topics = List.of("loans", "cards");
        List<String> languages = List.of("en", "zh");
        Random setup = new Random(7);

        Map<String, Integer> capacity = new HashMap<>();
        List<String> staffIds = new ArrayList<>();
        for (int i = 0; i < staffCount; i++) {
            String id = "s" + i;
            int cap = 1 + i % 2;
            Set<String> skills = i % 3 == 0 ? Set.copyOf(topics) : Set.of(topics.get(setup.nextInt(2)));
            Set<String> langs = i % 4 == 0 ? Set.copyOf(languages) : Set.of(languages.get(setup.nextInt(2)));
            available(id, cap, skills, langs, T0 + setup.nextInt(5));
            capacity.put(id, cap);
            staffIds.add(id);
        }
        List<String> requestIds = new ArrayList<>();
        for (int j = 0; j < requestCount; j++) {
            String id = "r" + j;
            enqueue(request(id, topics.get(setup.nextInt(2)), languages.get(setup.nextInt(2)), j % 3, T0 + j / 3));
            requestIds.add(id);
        }

        AtomicLong clock = new AtomicLong(T0 + 10_000);
        Map<String, String> offered = new ConcurrentHashMap<>();   // request -> staff, offers the store made
        Map<String, String> accepted = new ConcurrentHashMap<>();  // request -> staff
        ConcurrentLinkedQueue<String> callsInProgress = new ConcurrentLinkedQueue<>(); // staff id per call
        Map<String, AtomicInteger> callsOf = new ConcurrentHashMap<>();
        staffIds.forEach(id -> callsOf.put(id, new AtomicInteger()));
        List<String> violations = Collections.synchronizedList(new ArrayList<>());

        Runnable[] workers = new Runnable[threads];
        for (int t = 0; t < threads; t++) {
            Random rnd = new Random(1000 + t);
            workers[t] = () -> {
                for (int op = 0; op < opsPerThread && accepted.size() < requestCount; op++) {
                    long now = clock.incrementAndGet();
                    int dice = rnd.nextInt(100);
                    if (dice < 25) {
                        routing.matchRequest(RequestId.of(requestIds.get(rnd.nextInt(requestCount))), now, 1_000_000)
                                .ifPresent(o -> recordOffer(o, offered, accepted, violations));
                    } else if (dice < 50) {
                        routing.matchStaff(Subject.of(staffIds.get(rnd.nextInt(staffCount))), now, 1_000_000)
                                .ifPresent(o -> recordOffer(o, offered, accepted, violations));
                    } else if (dice < 85) {
                        List<Map.Entry<String, String>> open = new ArrayList<>(offered.entrySet());
                        if (open.isEmpty()) {
                            continue;
                        }
                        Map.Entry<String, String> e = open.get(rnd.nextInt(open.size()));
                        if (!offered.remove(e.getKey(), e.getValue())) {
                            continue; // another thread took this one
                        }
                        if (rnd.nextBoolean()) {
                            if (routing.accept(RequestId.of(e.getKey()), Subject.of(e.getValue()), now).isEmpty()) {
                                violations.add("accept of a known offer failed: " + e);
                            } else if (accepted.putIfAbsent(e.getKey(), e.getValue()) != null) {
                                violations.add("accepted twice: " + e.getKey());
                            } else {
                                callsOf.get(e.getValue()).incrementAndGet();
                                callsInProgress.add(e.getValue());
                            }
                        } else if (!routing.release(RequestId.of(e.getKey()), Subject.of(e.getValue()), ReleaseReason.DECLINED, now,
                                rnd.nextInt(20), false)) {
                            violations.add("release of a known offer failed: " + e);
                        }
                    } else {
                        String staff = callsInProgress.poll();
                        if (staff != null) {
                            callsOf.get(staff).decrementAndGet();
                            routing.callEnded(Subject.of(staff), now);
                        }
                    }
                    if (op % 10 == 0) {
                        String id = staffIds.get(rnd.nextInt(staffCount));
                        int load = load(id);
                        if (load > capacity.get(id) || load < 0) {
                            violations.add("load " + load + " of " + id + " outside 0.." + capacity.get(id));
                        }
                    }
                }
            };
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Runnable w : workers) {
                done.add(pool.submit(w));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(List.of(), violations);
        assertTrue(accepted.size() > 50, "the run did real work: " + accepted.size() + " accepted");
        for (String id : staffIds) {
            long offers = offered.values().stream().filter(id::equals).count();
            assertEquals(offers + callsOf.get(id).get(), load(id), "load of " + id + " = offers + calls");
            assertTrue(load(id) <= capacity.get(id));
        }
        for (String id : requestIds) {
            Optional<RequestState> state = routing.state(RequestId.of(id));
            if (accepted.containsKey(id)) {
                assertTrue(state.isEmpty(), id + " was accepted but is still in routing");
            } else if (offered.containsKey(id)) {
                assertEquals(Optional.of(RequestState.OFFERED), state, id);
                assertEquals(Optional.of(offered.get(id)), routing.offerOf(RequestId.of(id)).map(Offer::staffId));
            } else {
                assertEquals(Optional.of(RequestState.WAITING), state, id + " was lost");
            }
        }
        int waiting = routing.stats(topics).stream().mapToInt(QueueStats::waiting).sum();
        int stillOffered = routing.stats(topics).stream().mapToInt(QueueStats::offered).sum();
        assertEquals(requestCount - accepted.size() - offered.size(), waiting);
        assertEquals(offered.size(), stillOffered);
    }

    private static void recordOffer(Offer o, Map<String, String> offered, Map<String, String> accepted,
                                    List<String> violations) {
        // Checked before the offer is published: once it is in the map another thread may accept it at once.
        if (accepted.containsKey(o.requestId())) {
            violations.add(o.requestId() + " offered after it was accepted");
        }
        String previous = offered.putIfAbsent(o.requestId().value(), o.staffId().value());
        if (previous != null) {
            violations.add(o.requestId() + " offered to " + o.staffId() + " while offered to " + previous);
        }
    }

    /** An offer as the store keeps it: whether it was the request's first is known only to the step that made it. */
    static Offer stored(Offer offer) {
        return new Offer(offer.requestId(), offer.staffId(), offer.offeredAtMs(), offer.expiresAtMs());
    }

    @Test
    void onlyARequestsFirstOfferIsFirst() {
        available("s1", T0);
        available("s2", T0 + 1);
        enqueue("r1", T0);
        assertTrue(routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow().first());
        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s1"), ReleaseReason.DECLINED, T0 + 11, 1_000, false));
        Offer again = routing.matchStaff(Subject.of("s2"), T0 + 12, RING).orElseThrow();
        assertEquals(RequestId.of("r1"), again.requestId());
        assertFalse(again.first(), "offered before, to s1");
        assertTrue(routing.release(RequestId.of("r1"), Subject.of("s2"), ReleaseReason.DECLINED, T0 + 13, 1_000, false));
        assertFalse(routing.matchRequest(RequestId.of("r1"), T0 + 2_000, RING).orElseThrow().first());
        enqueue("r2", T0 + 3);
        available("s3", T0 + 2);
        assertTrue(routing.offerTo(RequestId.of("r2"), Subject.of("s3"), T0 + 2_001, RING).orElseThrow().first());
    }

    @Test
    void standingsTellEachCustomersOwnOpenRequestInOneStep() {
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        enqueue("r3", T0 + 2);
        available("s1", T0);
        routing.matchRequest(RequestId.of("r1"), T0 + 10, RING).orElseThrow();
        enqueue(new ServiceRequest(RequestId.of("t1"), Subject.of("c-transferred"), "Li Wei", "loans", "en", 0, Map.of(), T0,
                ORDER.rank(T0, 0), Transfer.toQueue(CallId.of("call-1"), "Zhang Min")));

        Map<Subject, RoutingStore.Standing> standings = routing.standings(List.of(Subject.of("cust-r1"), Subject.of("cust-r2"),
                Subject.of("cust-r3"), Subject.of("c-transferred"), Subject.of("c-nobody")));

        assertEquals(Map.of(
                Subject.of("cust-r1"), new RoutingStore.Standing(RequestId.of("r1"), "loans", Optional.empty()),
                Subject.of("cust-r2"), new RoutingStore.Standing(RequestId.of("r2"), "loans", Optional.of(2)),
                Subject.of("cust-r3"), new RoutingStore.Standing(RequestId.of("r3"), "loans", Optional.of(3))), standings,
                "ringing: no place; places count the transfer waiting ahead; a transfer of one's call and no request: "
                        + "not there");
        assertEquals(Map.of(), routing.standings(List.of()));
    }

    @Test
    void matchEachStaffOffersEveryFreeMemberTheirBestRequestInOneStep() {
        available("s1", T0);
        available("s2", T0 + 1);
        available("s-full", T0 + 2);
        enqueue("r0", T0 - 1);
        routing.matchStaff(Subject.of("s-full"), T0, RING).orElseThrow();
        enqueue("r1", T0);
        enqueue("r2", T0 + 1);
        enqueue("r3", T0 + 2);

        List<Offer> offers = routing.matchEachStaff(List.of(Subject.of("s2"), Subject.of("s-full"), Subject.of("s1"),
                Subject.of("s-unknown")), T0 + 10, RING);

        assertEquals(List.of(new Offer(RequestId.of("r1"), Subject.of("s2"), T0 + 10, T0 + 10 + RING, true),
                new Offer(RequestId.of("r2"), Subject.of("s1"), T0 + 10, T0 + 10 + RING, true)), offers,
                "in the members' order, each the best request left; a full or unknown member gets none");
        assertEquals(1, load("s1"));
        assertEquals(1, load("s2"));
        assertEquals(Optional.of(1), routing.position(RequestId.of("r3")));
        assertEquals(List.of(), routing.matchEachStaff(List.of(), T0 + 11, RING));
    }
}
