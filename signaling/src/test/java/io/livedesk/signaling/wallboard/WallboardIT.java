package io.livedesk.signaling.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.MutableClock;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.livedesk.testkit.ws.WsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallboard across two nodes and one Redis, with a scripted day whose waits are exact (both nodes measure
 * time with one clock the test moves): three customers wait, one gives up, two are answered (one within the
 * service-level target, one after a decline and outside it), one call is transferred to a colleague on the
 * other node. The supervisor, signed in on the other node than most of it happened on, sees exactly the
 * expected numbers; staff on their own wallboard are refused, and supervisors are not listed as staff.
 */
class WallboardIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final long t0 = clock.millis();

    private Map<String, Object> settings() {
        return Map.of("livedesk.redis.url", REDIS.url(), "livedesk.calls.media", "bridge",
                // The clock moves by up to 80 s: nothing may ring out, expire or be taken for dead meanwhile.
                "livedesk.routing.ring-timeout", "10m", "livedesk.cluster.node-ttl", "10m",
                "livedesk.cluster.reconnect-grace", "10m", "livedesk.routing.reoffer-delay", "5s",
                "livedesk.routing.away-on-missed-offer", false,
                "livedesk.wallboard.interval", "200ms", "livedesk.wallboard.service-level-target", "20s");
    }

    private void at(int seconds) {
        clock.set(Instant.ofEpochMilli(t0 + seconds * 1000L));
    }

    @Test
    void theWallboardShowsTheScriptedDayExactlyOnEveryNode() {
        REDIS.flushAll();
        try (TestNode one = TestNode.start(settings(), clock); TestNode two = TestNode.start(settings(), clock)) {
            String aToken = one.staffToken("staff-wa", "Zhang Min", List.of("loans"), List.of("en"), 1);
            String bToken = two.staffToken("staff-wb", "Wang Fang", List.of("loans"), List.of("en"), 1);
            WsClient a = one.signIn(aToken);
            WsClient b = two.signIn(bToken);
            a.requestOk(Map.of("type", "presence.set", "status", "away"));
            b.requestOk(Map.of("type", "presence.set", "status", "away"));
            WsClient supervisor = two.signIn(two.supervisorToken("sup-w", "Chen Jing"));
            assertEquals("forbidden", a.request(Map.of("type", "wallboard.subscribe")).path("code").asText(),
                    "the wallboard is for supervisors");
            JsonNode first = supervisor.requestOk(Map.of("type", "wallboard.subscribe"));
            assertEquals("wallboard", type(first));
            assertEquals(20_000, first.path("serviceLevelTargetMs").asLong());
            assertTrue(staff(first, "sup-w").isMissingNode(), "a supervisor is not listed as staff: " + first);

            WsClient c1 = one.signIn(one.customerToken("cust-w1", "Li Wei"));
            WsClient c2 = two.signIn(two.customerToken("cust-w2", "Zhou Li"));
            WsClient c3 = one.signIn(one.customerToken("cust-w3", "Sun Mei"));
            at(0);
            String r1 = request(c1);
            at(1);
            String r2 = request(c2);
            at(2);
            String r3 = request(c3);
            JsonNode waiting = await(supervisor, w -> queue(w, "loans", "en").path("waiting").asInt() == 3);
            assertEquals(t0, queue(waiting, "loans", "en").path("oldestWaitingSince").asLong(), "the longest wait began at 0 s");

            at(10);
            c3.requestOk(Map.of("type", "request.cancel", "requestId", r3));
            a.requestOk(Map.of("type", "presence.set", "status", "available"));
            assertEquals(r1, a.awaitType("offer", WAIT).path("requestId").asText(), "the longest waiting first");
            await(supervisor, w -> "ringing".equals(staff(w, "staff-wa").path("state").asText()));
            at(15);
            a.requestOk(Map.of("type", "offer.accept", "requestId", r1));

            at(30);
            b.requestOk(Map.of("type", "presence.set", "status", "available"));
            assertEquals(r2, b.awaitType("offer", WAIT).path("requestId").asText());
            b.requestOk(Map.of("type", "offer.decline", "requestId", r2));
            at(40); // past the re-offer delay: the sweep offers it to them again
            assertEquals(r2, b.awaitType("offer", WAIT).path("requestId").asText());
            b.requestOk(Map.of("type", "offer.accept", "requestId", r2));
            at(50);
            b.requestOk(Map.of("type", "call.hangup", "callId", r2));

            at(55);
            a.requestOk(Map.of("type", "call.transfer", "callId", r1, "staffId", "staff-wb"));
            JsonNode transfer = b.awaitType("offer", WAIT);
            at(60);
            b.requestOk(Map.of("type", "offer.accept", "requestId", transfer.path("requestId").asText()));
            at(70);

            JsonNode board = await(supervisor, w -> staff(w, "staff-wb").path("calls").asLong() == 2
                    && staff(w, "staff-wa").path("talkMs").asLong() > 0);
            JsonNode loans = queue(board, "loans", "en");
            assertEquals(0, loans.path("waiting").asInt(), board.toString());
            assertEquals(0, loans.path("ringing").asInt());
            assertFalse(loans.has("oldestWaitingSince"), "nobody waits: " + loans);
            assertEquals(2, loans.path("answered").asLong(), loans.toString());
            assertEquals(1, loans.path("answeredInTarget").asLong(), "15 s is within 20 s, 39 s is not: " + loans);
            assertEquals(1, loans.path("abandoned").asLong());
            assertEquals(1.0 / 3, loans.path("serviceLevel").asDouble(), 1e-9);
            assertEquals(27_000, loans.path("averageWaitMs").asLong(), "(15 s + 39 s) / 2");
            JsonNode cards = queue(board, "cards", "en");
            assertEquals(0, cards.path("answered").asLong());
            assertFalse(cards.has("serviceLevel"), "no service level before anything happened: " + cards);

            JsonNode zhang = staff(board, "staff-wa");
            assertEquals("available", zhang.path("state").asText(), zhang.toString());
            assertEquals(1, zhang.path("calls").asLong());
            assertEquals(45_000, zhang.path("talkMs").asLong(), "from the answer at 15 s to the handover at 60 s");
            assertEquals(1, zhang.path("transfers").asLong());
            assertEquals(0, zhang.path("declines").asLong());
            JsonNode wang = staff(board, "staff-wb");
            assertEquals("in_call", wang.path("state").asText(), wang.toString());
            assertEquals(t0 + 60_000, wang.path("inCallSince").asLong());
            assertEquals(2, wang.path("calls").asLong());
            assertEquals(10_000, wang.path("talkMs").asLong(), "the call that ended; the running one counts when it ends");
            assertEquals(1, wang.path("declines").asLong());
            assertEquals(0, wang.path("missed").asLong());

            assertEquals(1, board.path("calls").size(), board.toString());
            JsonNode call = board.path("calls").get(0);
            assertEquals(r1, call.path("callId").asText());
            assertEquals("Li Wei", call.path("customer").asText());
            assertEquals("Wang Fang", call.path("staff").asText());
            assertEquals("loans", call.path("topic").asText());
            assertEquals(t0 + 15_000, call.path("answeredAt").asLong());
            assertEquals(1, call.path("transfers").asInt());

            // A supervisor on the other node reads the same numbers from the stores.
            WsClient other = one.signIn(one.supervisorToken("sup-w2", "Huang Lei"));
            JsonNode same = other.requestOk(Map.of("type", "wallboard.subscribe"));
            assertEquals(loans, queue(same, "loans", "en"));
            assertEquals(staff(board, "staff-wb"), staff(same, "staff-wb"));

            supervisor.drain(); // only snapshots from here on
            at(80);
            b.requestOk(Map.of("type", "call.hangup", "callId", r1));
            JsonNode after = await(supervisor, w -> w.path("calls").isEmpty());
            assertEquals(30_000, staff(after, "staff-wb").path("talkMs").asLong(), "10 s + 20 s");
            assertEquals(45_000, staff(after, "staff-wa").path("talkMs").asLong());

            JsonNode listed = one.getJson("/api/staff", one.supervisorToken("sup-w3", "Chen"));
            listed.path("staff").forEach(s -> assertFalse(s.path("id").asText().startsWith("sup-"),
                    "supervisors are not listed as staff: " + listed));
            for (WsClient c : List.of(a, b, supervisor, other, c1, c2, c3)) {
                c.close();
            }
        }
    }

    private static String request(WsClient customer) {
        return customer.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"))
                .path("requestId").asText();
    }

    /** The next wallboard snapshot (reply or push) that satisfies the condition. */
    private static JsonNode await(WsClient supervisor, Predicate<JsonNode> condition) {
        return supervisor.await(m -> "wallboard".equals(type(m)) && condition.test(m), WAIT);
    }

    private static JsonNode queue(JsonNode board, String topic, String language) {
        for (JsonNode q : board.path("queues")) {
            if (q.path("topic").asText().equals(topic) && q.path("language").asText().equals(language)) {
                return q;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode staff(JsonNode board, String id) {
        for (JsonNode s : board.path("staff")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
