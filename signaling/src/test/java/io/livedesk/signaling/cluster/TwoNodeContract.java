package io.livedesk.signaling.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes sharing one real Redis deployment (a subclass says which): routing holds across them (no
 * request rings at two staff members, no member above capacity, every request served), a call works with
 * its parties on different nodes, and a node that stops takes its sessions down cleanly while the other
 * carries on.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
abstract class TwoNodeContract {

    private static final Duration T = Duration.ofSeconds(10);
    private static final Duration RING = Duration.ofSeconds(3);
    private static final List<String> TOPICS = List.of("accounts", "cards", "loans", "wealth");
    private static final List<String> LANGUAGES = List.of("en", "zh");
    private static final String SDP_OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String SDP_ANSWER = "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String CANDIDATE = "candidate:1 1 udp 2122260223 127.0.0.1 50216 typ host";

    TestNode a;
    TestNode b;
    private final List<WsClient> clients = Collections.synchronizedList(new ArrayList<>());

    /** The URL both nodes are given as {@code redis.url}. */
    protected abstract String redisUrl();

    /** Empties Redis before each test. */
    protected abstract void flushRedis();

    /** More settings for both nodes (none by default). */
    protected Map<String, Object> moreSettings() {
        return Map.of();
    }

    @BeforeEach
    void startTwoNodes() {
        flushRedis();
        a = TestNode.start(settings("node-a"));
        b = TestNode.start(settings("node-b"));
    }

    @AfterEach
    void stopNodes() {
        clients.forEach(WsClient::close);
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private Map<String, Object> settings(String nodeId) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "livedesk.node-id", nodeId,
                "livedesk.redis.url", redisUrl(),
                "livedesk.routing.sweep-interval", "100ms",
                "livedesk.routing.ring-timeout", RING.toMillis() + "ms",
                "livedesk.routing.reoffer-delay", "2s",
                "livedesk.cluster.heartbeat-interval", "500ms",
                // These calls relay made-up SDP peer-to-peer; bridged calls across nodes: CrossNodeBridgeIT.
                "livedesk.calls.media", "p2p"));
        settings.putAll(moreSettings());
        return settings;
    }

    // ---- one call across nodes ----

    @Test
    void aCustomerOnOneNodeAndAStaffMemberOnTheOtherCompleteACall() {
        WsClient customer = track(a.connect());
        assertEquals("node-a", customer.hello(a.customerToken("cross-cust", "Li Wei")).path("node").asText());
        String staffToken = b.staffToken("cross-staff", "Zhang Min", List.of("wealth"), List.of("zh"), 1);
        WsClient staff = track(b.connect());
        assertEquals("node-b", staff.hello(staffToken).path("node").asText());
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));

        String callId = customer.requestOk(Map.of("type", "request.create", "topic", "wealth", "language", "zh"))
                .path("requestId").asText();
        JsonNode offer = staff.awaitType("offer", T);
        assertEquals(callId, offer.path("requestId").asText());
        assertEquals("Li Wei", offer.path("customer").path("name").asText());
        assertEquals("ringing", customer.awaitType("queue.update", T).path("state").asText());

        JsonNode started = staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
        assertEquals("call.started", WsClient.type(started));
        assertTrue(started.path("initiator").asBoolean());
        JsonNode customerStarted = customer.awaitType("call.started", T);
        assertEquals(callId, customerStarted.path("callId").asText());
        assertEquals("Zhang Min", customerStarted.path("peer").path("name").asText());

        staff.requestOk(signal(callId, "sdp", Map.of("type", "offer", "sdp", SDP_OFFER)));
        JsonNode relayedOffer = customer.awaitType("call.signal", T);
        assertEquals("staff", relayedOffer.path("from").asText());
        assertEquals(SDP_OFFER, relayedOffer.path("sdp").path("sdp").asText());

        customer.requestOk(signal(callId, "sdp", Map.of("type", "answer", "sdp", SDP_ANSWER)));
        JsonNode relayedAnswer = staff.awaitType("call.signal", T);
        assertEquals("customer", relayedAnswer.path("from").asText());
        assertEquals("answer", relayedAnswer.path("sdp").path("type").asText());

        customer.requestOk(signal(callId, "candidate", Map.of("candidate", CANDIDATE, "sdpMid", "0", "sdpMLineIndex", 0)));
        assertEquals(CANDIDATE, staff.awaitType("call.signal", T).path("candidate").path("candidate").asText());
        staff.requestOk(signal(callId, "candidate", Map.of("candidate", CANDIDATE.replace("50216", "50999"))));
        assertEquals(CANDIDATE.replace("50216", "50999"),
                customer.awaitType("call.signal", T).path("candidate").path("candidate").asText());

        assertEquals("active", a.getJson("/api/calls/" + callId, staffToken).path("state").asText());

        assertEquals("staff_hangup", staff.requestOk(Map.of("type", "call.hangup", "callId", callId)).path("reason").asText());
        assertEquals("staff_hangup", customer.awaitType("call.ended", T).path("reason").asText());
        JsonNode record = b.getJson("/api/calls/" + callId, staffToken);
        assertEquals("ended", record.path("state").asText());
        assertEquals("staff_hangup", record.path("endReason").asText());
    }

    // ---- load across both nodes ----

    @Test
    void manyCustomersAcrossBothNodesAreAllServedWithoutDoubleOffersOrOverCapacity() throws Exception {
        serveManyCustomers(30, 300, tracker -> { }, Duration.ofSeconds(40), false);
    }

    /**
     * Staff bots on both nodes, then customers on both asking at once; every request must be served exactly
     * once by the member it rang at, within capacity. {@code meanwhile} runs once every request is queued,
     * while they are being served (e.g. to kill a Redis master). With {@code endNoticesMayBeLost} a customer
     * need not hear {@code call.ended}: a notice sent while Redis fails over is lost (the call's record must
     * still say it ended); how many were lost is printed.
     */
    void serveManyCustomers(int staffCount, int customerCount, Meanwhile meanwhile, Duration serveWithin,
                            boolean endNoticesMayBeLost) throws Exception {
        Tracker tracker = new Tracker();
        ScheduledExecutorService hangups = Executors.newScheduledThreadPool(4);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<StaffBot> bots = new ArrayList<>();
        try {
            for (int i = 0; i < staffCount; i++) {
                bots.add(new StaffBot(i, tracker, hangups));
            }
            for (StaffBot bot : bots) {
                bot.ws.requestOk(Map.of("type", "presence.set", "status", "available"));
            }
            for (StaffBot bot : bots) {
                pool.execute(bot); // from here on only the bot reads its socket
            }
            assertTrue(coverEveryQueue(bots), "every (topic, language) has a staff member");

            List<Future<WsClient>> signingIn = new ArrayList<>();
            for (int j = 0; j < customerCount; j++) {
                TestNode node = (j / 3) % 2 == 0 ? a : b;
                String subject = "cust-" + j;
                signingIn.add(pool.submit(() -> track(node.signIn(node.customerToken(subject, "Customer " + subject)))));
            }
            List<WsClient> customers = new ArrayList<>();
            for (Future<WsClient> f : signingIn) {
                customers.add(f.get(30, TimeUnit.SECONDS));
            }

            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> creating = new ArrayList<>();
            for (int j = 0; j < customerCount; j++) {
                WsClient customer = customers.get(j);
                Map<String, Object> create = Map.of("type", "request.create", "id", "create",
                        "topic", TOPICS.get(j % 4), "language", LANGUAGES.get((j / 4) % 2));
                creating.add(pool.submit(() -> {
                    go.await();
                    customer.send(create);
                    return customer.awaitReply("create", T).path("requestId").asText(null);
                }));
            }
            go.countDown();
            Set<String> requestIds = new LinkedHashSet<>();
            for (Future<String> f : creating) {
                String id = f.get(30, TimeUnit.SECONDS);
                assertTrue(id != null && id.startsWith("r-"), "request.create was queued: " + id);
                requestIds.add(id);
            }
            assertEquals(customerCount, requestIds.size());
            meanwhile.run(tracker);

            long deadline = System.nanoTime() + serveWithin.toNanos();
            for (WsClient customer : customers) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                customer.awaitType("call.started", left);
                if (!endNoticesMayBeLost) {
                    assertEquals("staff_hangup", customer.awaitType("call.ended", left.plus(T)).path("reason").asText());
                }
            }

            for (WsClient customer : customers) {
                // Told of one call: a start notice lost in a failover is given again as resumed, same call.
                assertEquals(1, customer.history().stream().filter(m -> "call.started".equals(WsClient.type(m)))
                        .map(m -> m.path("callId").asText()).distinct().count(), () -> "calls of " + customer.history());
                assertTrue(customer.history().stream().noneMatch(m -> "error".equals(WsClient.type(m))),
                        () -> "customer errors: " + customer.history());
            }
            // A customer hears their call started a moment before the staff member's reply arrives: let the
            // members' own view catch up before judging it.
            try {
                await().atMost(T).until(() -> tracker.accepted().containsAll(requestIds));
            } catch (org.awaitility.core.ConditionTimeoutException judgedBelow) {
                // what is missing is reported by the assertion below, with what happened to it
            }
            tracker.assertNoViolations();
            Set<String> unaccepted = new TreeSet<>(requestIds);
            unaccepted.removeAll(tracker.accepted());
            assertTrue(unaccepted.isEmpty() && tracker.accepted().size() == requestIds.size(), () ->
                    "every request accepted exactly by the staff it rang at; not: " + whatHappened(unaccepted, customers, bots));
            assertTrue(tracker.declines() > 0, "some requests were declined and re-offered");
            for (StaffBot bot : bots) {
                bot.assertNoUnexpectedErrors();
            }
            assertCallRecordsAgree(requestIds, bots, endNoticesMayBeLost ? serveWithin : T);
            if (endNoticesMayBeLost) {
                long unheard = customers.stream().filter(c -> c.history().stream()
                        .noneMatch(m -> "call.ended".equals(WsClient.type(m)))).count();
                System.out.println(unheard + " of " + customerCount + " customers did not hear call.ended (lost in the failover)");
            }
        } finally {
            bots.forEach(StaffBot::stop);
            pool.shutdownNow();
            hangups.shutdownNow();
        }
    }

    /** For a failure: each request's messages as its customer and the staff members got them. */
    private static Map<String, List<String>> whatHappened(Set<String> requestIds, List<WsClient> customers,
                                                          List<StaffBot> bots) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String id : requestIds) {
            List<String> seen = new ArrayList<>();
            customers.forEach(c -> c.history().stream().filter(m -> m.toString().contains(id))
                    .forEach(m -> seen.add("customer got " + m)));
            bots.forEach(b -> b.ws.history().stream().filter(m -> m.toString().contains(id))
                    .forEach(m -> seen.add(b.id + " got " + m)));
            out.put(id, seen);
        }
        return out;
    }

    /** What a test does while the customers are being served. */
    @FunctionalInterface
    interface Meanwhile {
        void run(Tracker tracker) throws Exception;
    }

    /** The stores' view: every call ended by staff, and no member ever had more calls at once than capacity. */
    private void assertCallRecordsAgree(Set<String> requestIds, List<StaffBot> bots, Duration within) {
        String supervisor = a.supervisorToken("sup-1", "Supervisor");
        await().atMost(within).untilAsserted(() -> {
            JsonNode calls = a.getJson("/api/calls?limit=500", supervisor).path("calls");
            Map<String, JsonNode> byId = new HashMap<>();
            calls.forEach(c -> byId.put(c.path("callId").asText(), c));
            assertEquals(requestIds, byId.keySet());
            for (JsonNode c : byId.values()) {
                assertEquals("ended", c.path("state").asText(), c.toString());
                assertEquals("staff_hangup", c.path("endReason").asText(), c.toString());
            }
        });
        JsonNode calls = b.getJson("/api/calls?limit=500", supervisor).path("calls");
        Map<String, List<long[]>> intervalsByStaff = new HashMap<>();
        calls.forEach(c -> intervalsByStaff.computeIfAbsent(c.path("staff").path("id").asText(), s -> new ArrayList<>())
                .add(new long[]{millis(c, "answeredAt"), millis(c, "endedAt")}));
        for (StaffBot bot : bots) {
            int most = mostAtOnce(intervalsByStaff.getOrDefault(bot.id, List.of()));
            assertTrue(most <= bot.capacity, bot.id + " had " + most + " calls at once, capacity " + bot.capacity);
        }
    }

    // ---- a node stops ----

    @Test
    void whenANodeStopsItsCustomersAreToldItsStaffGoOfflineAndTheOtherNodeCarriesOn() {
        String staffAToken = a.staffToken("staff-a1", "Ana", List.of("accounts"), List.of("en"), 1);
        WsClient staffA = track(a.signIn(staffAToken));
        staffA.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient staffB = track(b.signIn(b.staffToken("staff-b1", "Ben", List.of("loans"), List.of("en"), 1)));
        staffB.requestOk(Map.of("type", "presence.set", "status", "available"));

        // A customer of B in a call with staff on A.
        WsClient inCall = track(b.signIn(b.customerToken("cust-b-call", "Cai")));
        String callId = inCall.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"))
                .path("requestId").asText();
        assertEquals(callId, staffA.awaitType("offer", T).path("requestId").asText());
        staffA.requestOk(Map.of("type", "offer.accept", "requestId", callId));
        inCall.awaitType("call.started", T);
        // A customer of B waiting in a queue nobody serves.
        WsClient waiting = track(b.signIn(b.customerToken("cust-b-wait", "Wu")));
        String waitingId = waiting.requestOk(Map.of("type", "request.create", "topic", "wealth", "language", "en"))
                .path("requestId").asText();
        // A customer of A whose request is ringing at staff on B.
        WsClient ringingAtB = track(a.signIn(a.customerToken("cust-a-ring", "Hu")));
        String ringingId = ringingAtB.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"))
                .path("requestId").asText();
        assertEquals(ringingId, staffB.awaitType("offer", T).path("requestId").asText());

        b.close();

        JsonNode cancelled = waiting.awaitType("request.cancelled", T);
        assertEquals(waitingId, cancelled.path("requestId").asText());
        assertEquals("server_shutdown", cancelled.path("reason").asText());
        JsonNode endedOnB = inCall.awaitType("call.ended", T);
        assertEquals(callId, endedOnB.path("callId").asText());
        assertEquals("server_shutdown", endedOnB.path("reason").asText());
        for (WsClient clientOfB : List.of(waiting, inCall, staffB)) {
            assertTrue(clientOfB.awaitType("server.shutdown", T).path("reconnectAfterMs").asLong() > 0);
            assertEquals(1001, clientOfB.awaitClose(T));
        }

        JsonNode endedOnA = staffA.awaitType("call.ended", T);
        assertEquals(callId, endedOnA.path("callId").asText());
        assertEquals("server_shutdown", endedOnA.path("reason").asText());

        String supervisor = a.supervisorToken("sup-1", "Supervisor");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, String> status = staffStatus(a.getJson("/api/staff", supervisor));
            assertEquals("offline", status.get("staff-b1"));
            assertEquals("available", status.get("staff-a1"));
        });

        // The offer left ringing at B's member rings out on A and the request is not lost: it waits again.
        JsonNode back = ringingAtB.await(m -> "queue.update".equals(WsClient.type(m))
                && "waiting".equals(m.path("state").asText()), RING.plus(T));
        assertEquals(ringingId, back.path("requestId").asText());
        assertEquals(200, a.get("/readyz", null).statusCode());
        assertEquals("pong", WsClient.type(ringingAtB.requestOk(Map.of("type", "ping"))));
    }

    // ---- staff bots and the invariants they record ----

    /**
     * A staff member who accepts every offer (members 0, 5, 10… decline their first), and hangs up each call
     * after a moment. It records offers, declines, revocations and calls in the {@link Tracker}; what it
     * holds (offers ringing plus calls) is changed before it sends the message that changes it on the server.
     */
    private final class StaffBot implements Runnable {
        final String id;
        final int capacity;
        final Set<String> skills;
        final Set<String> languages;
        final WsClient ws;
        private final boolean declinesFirst;
        private final Tracker tracker;
        private final ScheduledExecutorService hangups;
        private final Set<String> ringing = new HashSet<>();
        private final Set<String> inCall = new HashSet<>();
        private final List<JsonNode> unexpected = Collections.synchronizedList(new ArrayList<>());
        /** The ids of the answers given again after Redis did not answer. */
        private final Set<String> retried = ConcurrentHashMap.newKeySet();
        private boolean declined;
        private volatile boolean running = true;

        StaffBot(int i, Tracker tracker, ScheduledExecutorService hangups) {
            this.id = "staff-" + i;
            this.capacity = 1 + (i / 2) % 2;
            this.declinesFirst = i % 5 == 0;
            this.tracker = tracker;
            this.hangups = hangups;
            TestNode node = i % 2 == 0 ? a : b;
            List<String> skills = List.of(TOPICS.get(i % 4), TOPICS.get((i + 1) % 4));
            List<String> languages = switch (i % 3) {
                case 0 -> LANGUAGES;
                case 1 -> List.of("en");
                default -> List.of("zh");
            };
            this.skills = Set.copyOf(skills);
            this.languages = Set.copyOf(languages);
            this.ws = track(node.signIn(node.staffToken(id, "Staff " + i, skills, languages, capacity)));
        }

        @Override
        public void run() {
            while (running) {
                ws.next(Duration.ofMillis(100)).ifPresent(this::handle);
            }
        }

        void stop() {
            running = false;
        }

        private void handle(JsonNode m) {
            String type = WsClient.type(m);
            String requestId = m.path("requestId").asText(m.path("callId").asText(null));
            switch (type) {
                case "offer" -> offered(requestId);
                case "call.started" -> started(requestId);
                case "offer.revoked" -> revoked(requestId, m.path("reason").asText());
                case "error" -> failed(m);
                case "offer.declined", "call.ended", "presence", "pong" -> {
                    // nothing to do
                }
                default -> unexpected.add(m);
            }
        }

        private void offered(String requestId) {
            boolean decline;
            synchronized (this) {
                ringing.add(requestId);
                tracker.offered(requestId, id, Set.copyOf(ringing), ringing.size() + inCall.size(), capacity);
                decline = declinesFirst && !declined;
                if (decline) {
                    declined = true;
                    ringing.remove(requestId);
                    tracker.declined(requestId, id);
                }
            }
            ws.send(Map.of("type", decline ? "offer.decline" : "offer.accept", "id", (decline ? "d:" : "a:") + requestId,
                    "requestId", requestId));
        }

        private void started(String requestId) {
            synchronized (this) {
                ringing.remove(requestId);
                inCall.add(requestId);
                tracker.started(requestId, id);
            }
            hangups.schedule(() -> hangUp(requestId), 50 + ThreadLocalRandom.current().nextInt(100), TimeUnit.MILLISECONDS);
        }

        private void hangUp(String requestId) {
            synchronized (this) {
                inCall.remove(requestId);
            }
            ws.send(Map.of("type", "call.hangup", "id", "h:" + requestId, "callId", requestId));
        }

        private synchronized void revoked(String requestId, String reason) {
            ringing.remove(requestId);
            tracker.revoked(requestId, id, reason);
        }

        private void failed(JsonNode error) {
            String replyTo = error.path("id").asText("");
            String code = error.path("code").asText();
            if (replyTo.startsWith("a:") && "offer_expired".equals(code)) {
                synchronized (this) {
                    ringing.remove(replyTo.substring(2)); // it rang out just before we accepted
                }
                return;
            }
            if (retried.contains(replyTo) && (replyTo.startsWith("h:") && "invalid_state".equals(code)
                    || replyTo.startsWith("d:") && "offer_expired".equals(code))) {
                return; // the hang-up or decline that answered unavailable had gone through after all
            }
            if ("unavailable".equals(code) && replyTo.length() > 2) {
                // Redis did not answer (a failover): the answer still stands, so give it again, as a client would.
                String requestId = replyTo.substring(2);
                Map<String, Object> again = switch (replyTo.substring(0, 2)) {
                    case "a:" -> Map.of("type", "offer.accept", "id", replyTo, "requestId", requestId);
                    case "d:" -> Map.of("type", "offer.decline", "id", replyTo, "requestId", requestId);
                    case "h:" -> Map.of("type", "call.hangup", "id", replyTo, "callId", requestId);
                    default -> null;
                };
                if (again != null) {
                    retried.add(replyTo);
                    hangups.schedule(() -> ws.send(again), 200, TimeUnit.MILLISECONDS);
                    return;
                }
            }
            unexpected.add(error);
        }

        void assertNoUnexpectedErrors() {
            assertTrue(unexpected.isEmpty(), id + " got unexpected messages: " + unexpected);
        }
    }

    /**
     * The invariants, from what the staff members were told. Offers ring out (timeout) before the member
     * who missed them hears of it, so an apparent overlap is excused only when the earlier offer was
     * revoked with reason timeout; with members answering at once that should not happen at all.
     */
    static final class Tracker {
        private record Overlap(String requestId, String earlierHolder, String newHolder) {
        }

        private record OverCapacity(String staffId, Set<String> ringing, int load, int capacity) {
        }

        private final Map<String, String> holder = new HashMap<>();
        private final Set<String> accepted = new HashSet<>();
        private final Set<String> timedOut = new HashSet<>();
        private final List<String> violations = new ArrayList<>();
        private final List<Overlap> overlaps = new ArrayList<>();
        private final List<OverCapacity> overCapacity = new ArrayList<>();
        private int declines;

        synchronized void offered(String requestId, String staffId, Set<String> ringingAtStaff, int load, int capacity) {
            if (accepted.contains(requestId)) {
                violations.add(requestId + " offered to " + staffId + " after it was accepted");
            }
            String earlier = holder.put(requestId, staffId);
            if (staffId.equals(earlier)) {
                violations.add(requestId + " offered twice to " + staffId);
            } else if (earlier != null) {
                overlaps.add(new Overlap(requestId, earlier, staffId));
            }
            if (load > capacity) {
                overCapacity.add(new OverCapacity(staffId, ringingAtStaff, load, capacity));
            }
        }

        synchronized void declined(String requestId, String staffId) {
            holder.remove(requestId, staffId);
            declines++;
        }

        synchronized void revoked(String requestId, String staffId, String reason) {
            holder.remove(requestId, staffId);
            if ("timeout".equals(reason)) {
                timedOut.add(requestId + "@" + staffId);
            } else {
                violations.add(requestId + " revoked at " + staffId + " for " + reason + " though nobody cancels");
            }
        }

        synchronized void started(String requestId, String staffId) {
            if (!staffId.equals(holder.get(requestId))) {
                violations.add(requestId + " started with " + staffId + " while it rang at " + holder.get(requestId));
            }
            if (!accepted.add(requestId)) {
                violations.add(requestId + " accepted twice");
            }
        }

        synchronized Set<String> accepted() {
            return Set.copyOf(accepted);
        }

        synchronized int declines() {
            return declines;
        }

        synchronized void assertNoViolations() {
            List<String> all = new ArrayList<>(violations);
            for (Overlap o : overlaps) {
                if (!timedOut.contains(o.requestId() + "@" + o.earlierHolder())) {
                    all.add(o.requestId() + " offered to " + o.newHolder() + " while still ringing at " + o.earlierHolder());
                }
            }
            for (OverCapacity c : overCapacity) {
                boolean excused = c.ringing().stream().anyMatch(r -> timedOut.contains(r + "@" + c.staffId()));
                if (!excused) {
                    all.add(c.staffId() + " held " + c.load() + " (capacity " + c.capacity() + "): ringing " + c.ringing());
                }
            }
            assertTrue(all.isEmpty(), "routing invariants broken: " + all);
        }
    }

    // ---- helpers ----

    private WsClient track(WsClient client) {
        clients.add(client);
        return client;
    }

    private static boolean coverEveryQueue(List<StaffBot> bots) {
        for (String topic : TOPICS) {
            for (String language : LANGUAGES) {
                if (bots.stream().noneMatch(s -> s.skills.contains(topic) && s.languages.contains(language))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Map<String, Object> signal(String callId, String field, Map<String, Object> value) {
        return Map.of("type", "call.signal", "callId", callId, field, value);
    }

    private static Map<String, String> staffStatus(JsonNode staffList) {
        Map<String, String> out = new TreeMap<>();
        staffList.path("staff").forEach(s -> out.put(s.path("id").asText(), s.path("status").asText()));
        return out;
    }

    private static long millis(JsonNode call, String field) {
        return Optional.ofNullable(call.get(field)).map(f -> Instant.parse(f.asText()).toEpochMilli())
                .orElseThrow(() -> new AssertionError(field + " missing in " + call));
    }

    /** The most half-open [start, end) intervals that overlap at any instant. */
    private static int mostAtOnce(List<long[]> intervals) {
        TreeMap<Long, Integer> changes = new TreeMap<>();
        for (long[] i : intervals) {
            changes.merge(i[0], 1, Integer::sum);
            changes.merge(i[1], -1, Integer::sum);
        }
        int now = 0;
        int most = 0;
        for (int delta : changes.values()) {
            now += delta;
            most = Math.max(most, now);
        }
        return most;
    }
}
