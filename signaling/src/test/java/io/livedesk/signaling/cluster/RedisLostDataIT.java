package io.livedesk.signaling.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisProcess;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed and started again empty on the same port, under two nodes serving six staff, ten customers
 * whose requests ring and two live calls: each node puts back what its own clients hold, so every customer is
 * offered again within the ring time, staff are available without doing anything, and both calls still end
 * cleanly, one from each side.
 */
class RedisLostDataIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static final Duration RING = Duration.ofSeconds(20);
    private static final List<String> LOANS = List.of("loans");
    private static final List<String> EN = List.of("en");

    private int port;
    private RedisProcess redis;
    private TestNode a;
    private TestNode b;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        port = RedisProcess.freePort();
        redis = RedisProcess.start(port, List.of("save \"\"", "appendonly no"));
        Map<String, Object> settings = Map.of("livedesk.redis.url", "redis://127.0.0.1:" + port,
                "livedesk.redis.timeout", "1s", "livedesk.routing.ring-timeout", RING.toSeconds() + "s",
                "livedesk.cluster.heartbeat-interval", "300ms", "livedesk.calls.media", "p2p");
        a = TestNode.start(settings);
        b = TestNode.start(settings);
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private WsClient signIn(TestNode node, String token) {
        WsClient c = node.signIn(token);
        clients.add(c);
        return c;
    }

    @Test
    void everyNodePutsBackWhatItsClientsHoldWhenRedisComesBackEmpty() throws Exception {
        // Six staff with room for two each, three per node; two calls go live first.
        Map<String, WsClient> staff = new HashMap<>();
        for (int i = 1; i <= 6; i++) {
            TestNode node = i % 2 == 0 ? b : a;
            WsClient s = signIn(node, node.staffToken("rl-staff-" + i, "Staff " + i, LOANS, EN, 2));
            s.requestOk(Map.of("type", "presence.set", "status", "available"));
            staff.put("rl-staff-" + i, s);
        }
        WsClient caller1 = signIn(a, a.customerToken("rl-caller-1", "Li Wei"));
        WsClient caller2 = signIn(b, b.customerToken("rl-caller-2", "Wang Fang"));
        WsClient[] callStaff = new WsClient[2];
        String[] callIds = new String[2];
        WsClient[] callers = {caller1, caller2};
        for (int i = 0; i < 2; i++) {
            String requestId = callers[i].requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"))
                    .path("requestId").asText();
            WsClient offered = awaitOfferAmong(staff.values(), requestId);
            offered.requestOk(Map.of("type", "offer.accept", "requestId", requestId));
            callIds[i] = callers[i].awaitType("call.started", T).path("callId").asText();
            callStaff[i] = offered;
        }
        // Ten customers, five per node: each request rings at someone (ten free places for ten requests).
        long firstAsked = System.currentTimeMillis();
        List<WsClient> customers = new ArrayList<>();
        List<String> requestIds = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            TestNode node = i % 2 == 0 ? b : a;
            WsClient c = signIn(node, node.customerToken("rl-cust-" + i, "Customer " + i));
            requestIds.add(c.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"))
                    .path("requestId").asText());
            customers.add(c);
        }
        for (WsClient c : customers) {
            c.await(m -> "queue.update".equals(WsClient.type(m)) && "ringing".equals(m.path("state").asText()), T);
        }
        staff.values().forEach(WsClient::drain);

        // Redis dies and comes back empty on the same port.
        long killedAt = System.currentTimeMillis();
        redis.kill();
        await("both nodes not ready").atMost(T).pollInterval(Duration.ofMillis(100))
                .until(() -> a.get("/readyz", null).statusCode() == 503 && b.get("/readyz", null).statusCode() == 503);
        redis = RedisProcess.start(port, List.of("save \"\"", "appendonly no"));
        long back = System.nanoTime();
        long outage = System.currentTimeMillis() - killedAt;

        // Every request is offered again, to someone, within the ring time.
        Map<String, Long> waitedMs = new HashMap<>();
        await("every request offered again").atMost(RING).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (WsClient s : staff.values()) {
                s.drain().stream().filter(m -> "offer".equals(WsClient.type(m)))
                        .forEach(m -> waitedMs.put(m.path("requestId").asText(), m.path("waitedMs").asLong()));
            }
            return waitedMs.keySet().containsAll(requestIds);
        });
        assertTrue(Duration.ofNanos(System.nanoTime() - back).compareTo(RING) < 0);
        // Put back with their original enqueue time: the wait shown counts from before the outage.
        long sinceFirst = System.currentTimeMillis() - firstAsked;
        for (String id : requestIds) {
            assertTrue(waitedMs.get(id) > outage, "request " + id + " waited " + waitedMs.get(id) + " ms");
            assertTrue(waitedMs.get(id) <= sinceFirst, "request " + id + " waited " + waitedMs.get(id) + " ms");
        }

        // Staff are available again without doing anything, with the calls and offers counted in their load.
        JsonNode list = a.getJson("/api/staff", a.supervisorToken("rl-sup", "Supervisor"));
        int load = 0;
        for (JsonNode member : list.path("staff")) {
            if (member.path("id").asText().startsWith("rl-staff-")) {
                assertTrue(Set.of("available", "busy").contains(member.path("status").asText()), member.toString());
                assertTrue(member.path("connected").asBoolean(true), member.toString());
                load += member.path("load").asInt();
            }
        }
        assertEquals(12, load, "two calls and ten offers: " + list);
        assertEquals(6, countStaff(list), list.toString());

        // The calls end cleanly: one from the customer's side, one from the staff member's.
        caller1.requestOk(Map.of("type", "call.hangup", "callId", callIds[0]));
        callStaff[0].awaitType("call.ended", T);
        callStaff[1].requestOk(Map.of("type", "call.hangup", "callId", callIds[1]));
        caller2.awaitType("call.ended", T);

        // A request made after the recovery is routed as before: an offer is accepted and becomes a call.
        WsClient late = signIn(a, a.customerToken("rl-late", "Late Customer"));
        String lateId = late.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"))
                .path("requestId").asText();
        WsClient offered = awaitOfferAmong(staff.values(), lateId);
        offered.requestOk(Map.of("type", "offer.accept", "requestId", lateId));
        late.awaitType("call.started", T);
        // A customer whose request was put back can still cancel it.
        JsonNode cancelled = customers.get(0).request(Map.of("type", "request.cancel", "requestId", requestIds.get(0)));
        assertEquals("request.cancelled", WsClient.type(cancelled), cancelled.toString());
    }

    private static int countStaff(JsonNode list) {
        int n = 0;
        for (JsonNode member : list.path("staff")) {
            if (member.path("id").asText().startsWith("rl-staff-")) {
                n++;
            }
        }
        return n;
    }

    private static WsClient awaitOfferAmong(java.util.Collection<WsClient> staff, String requestId) {
        WsClient[] found = new WsClient[1];
        await("offer of " + requestId).atMost(T).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (WsClient s : staff) {
                if (s.poll(m -> "offer".equals(WsClient.type(m)) && requestId.equals(m.path("requestId").asText()),
                        Duration.ZERO).isPresent()) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}
