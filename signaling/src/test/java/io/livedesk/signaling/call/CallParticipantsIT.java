package io.livedesk.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.livedesk.testkit.ws.WsClient.errorCode;
import static io.livedesk.testkit.ws.WsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Supervisors joining and transfers on real sockets, without media (the media: the browser test
 * {@code e2e.BrowserSupervisorAndTransferIT}): who may do what, who is told what, and that a transfer
 * waiting in a queue is called off when the call ends. Runs against a node on Redis, where the call
 * record's compare-and-set is a Lua script.
 */
class CallParticipantsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(600);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private record Call(String callId, WsClient staff, WsClient customer) {
    }

    private static Call call(TestNode node, String suffix) {
        WsClient staff = node.signIn(node.staffToken("staff-" + suffix, "Zhang Min", List.of("accounts"), List.of("en"), 1));
        staff.requestOk(Map.of("type", "presence.set", "status", "available"));
        WsClient customer = node.signIn(node.customerToken("cust-" + suffix, "Li Wei"));
        customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en"));
        String requestId = staff.awaitType("offer", WAIT).path("requestId").asText();
        staff.requestOk(Map.of("type", "offer.accept", "requestId", requestId));
        customer.awaitType("call.started", WAIT);
        return new Call(requestId, staff, customer);
    }

    private static TestNode bridgedNode() {
        return TestNode.start(Map.of("livedesk.calls.media", "bridge", "livedesk.redis.url", REDIS.url()));
    }

    @Test
    void aMonitoringSupervisorJoinsUnannouncedAndLeavesWhileTheCallGoesOn() {
        try (TestNode node = bridgedNode()) {
            Call call = call(node, "m1");
            WsClient supervisor = node.signIn(node.supervisorToken("sup-m1", "Chen Jing"));

            JsonNode started = supervisor.requestOk(Map.of("type", "call.join", "callId", call.callId()));
            assertEquals("call.started", type(started));
            assertEquals("monitor", started.path("supervising").asText(), started.toString());
            assertEquals("bridge", started.path("media").asText());
            assertTrue(started.path("initiator").asBoolean(), "the supervisor offers its own leg");
            assertEquals("Li Wei", started.path("peer").path("name").asText());

            JsonNode toStaff = call.staff().awaitType("call.participants", WAIT);
            assertEquals(List.of("customer", "staff", "supervisor"), roles(toStaff));
            assertTrue(call.customer().poll(m -> "call.participants".equals(type(m)), QUIET).isEmpty(),
                    "the customer is not told of a supervisor who only monitors");
            assertEquals("Chen Jing", toStaff.path("participants").get(2).path("name").asText(), "a colleague sees who: " + toStaff);
            JsonNode ownRecord = node.getJson("/api/calls/" + call.callId(), node.customerToken("cust-m1", "Li Wei"));
            assertTrue(ownRecord.path("supervisors").isMissingNode(), "nor from their call's record: " + ownRecord);

            JsonNode again = supervisor.request(Map.of("type", "call.join", "callId", call.callId()));
            assertEquals("invalid_state", errorCode(again), again.toString());

            JsonNode left = supervisor.requestOk(Map.of("type", "call.hangup", "callId", call.callId()));
            assertEquals("call.ended", type(left));
            assertEquals("left", left.path("reason").asText());
            assertEquals(List.of("customer", "staff"), roles(call.staff().awaitType("call.participants", WAIT)));
            JsonNode record = node.getJson("/api/calls/" + call.callId(), node.supervisorToken("sup-x", "S"));
            assertTrue(List.of("active", "connecting").contains(record.path("state").asText()), "the call goes on: " + record);
            assertEquals(0, record.path("supervisors").size(), record.toString());

            // The call ends: a supervisor still in it is told too.
            supervisor.requestOk(Map.of("type", "call.join", "callId", call.callId(), "mode", "barge"));
            assertEquals(List.of("customer", "staff", "supervisor"),
                    roles(call.customer().awaitType("call.participants", WAIT)), "a supervisor who barges in is announced");
            call.customer().requestOk(Map.of("type", "call.hangup", "callId", call.callId()));
            assertEquals("customer_hangup", supervisor.awaitType("call.ended", WAIT).path("reason").asText());
        }
    }

    @Test
    void onlySupervisorsJoinLiveCallsAndOnlyTheCallsStaffMemberTransfersIt() {
        try (TestNode node = bridgedNode()) {
            Call call = call(node, "r1");
            WsClient otherStaff = node.signIn(node.staffToken("staff-r1b", "Other", List.of("accounts"), List.of("en"), 1));
            WsClient supervisor = node.signIn(node.supervisorToken("sup-r1", "Chen Jing"));

            assertEquals("forbidden", errorCode(otherStaff.request(Map.of("type", "call.join", "callId", call.callId()))));
            assertEquals("forbidden", errorCode(call.customer().request(Map.of("type", "call.join", "callId", call.callId()))));
            assertEquals("not_found", errorCode(supervisor.request(Map.of("type", "call.join", "callId", "no-such-call"))));
            assertEquals("bad_message", errorCode(supervisor.request(Map.of("type", "call.join", "callId", call.callId(),
                    "mode", "spy"))));

            assertEquals("not_found", errorCode(otherStaff.request(Map.of("type", "call.transfer", "callId", call.callId(),
                    "topic", "loans", "language", "en"))), "not their call");
            assertEquals("forbidden", errorCode(call.customer().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "topic", "loans", "language", "en"))));
            assertEquals("unknown_topic", errorCode(call.staff().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "topic", "nope", "language", "en"))));
            supervisor.requestOk(Map.of("type", "call.join", "callId", call.callId()));
            assertEquals("forbidden", errorCode(supervisor.request(Map.of("type", "call.transfer", "callId", call.callId(),
                    "topic", "loans", "language", "en"))), "a supervisor in the call is not its staff member");

            JsonNode transferring = call.staff().requestOk(Map.of("type", "call.transfer", "callId", call.callId(),
                    "topic", "loans", "language", "en"));
            assertEquals("call.transferring", type(transferring));
            assertEquals("invalid_state", errorCode(call.staff().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "topic", "cards", "language", "en"))), "one transfer at a time");
        }
    }

    @Test
    void aTransferWaitsForAColleagueAndIsCalledOffWhenTheCallEnds() {
        try (TestNode node = bridgedNode()) {
            Call call = call(node, "t1");
            call.customer().drain();
            call.staff().requestOk(Map.of("type", "call.transfer", "callId", call.callId(), "topic", "loans", "language", "en"));
            JsonNode record = node.getJson("/api/calls/" + call.callId(), node.supervisorToken("sup-x", "S"));
            assertTrue(record.path("transferring").asBoolean(), record.toString());
            var heard = call.customer().poll(m -> "queue.update".equals(type(m)) || "request.cancelled".equals(type(m)), QUIET);
            assertTrue(heard.isEmpty(), "the customer, still in the call, hears nothing of the transfer's queue: " + heard);

            // A colleague with the skill comes online: the transfer rings for them, marked as a transfer.
            WsClient loans = node.signIn(node.staffToken("staff-t1b", "Wang Fang", List.of("loans"), List.of("en"), 1));
            loans.requestOk(Map.of("type", "presence.set", "status", "available"));
            JsonNode offer = loans.awaitType("offer", WAIT);
            assertEquals("Li Wei", offer.path("customer").path("name").asText());
            assertEquals("Zhang Min", offer.path("transfer").path("from").asText(), offer.toString());
            assertEquals(call.callId(), offer.path("transfer").path("callId").asText());
            assertFalse(offer.path("transfer").has("to"), "any loans member may take it: " + offer);
            assertEquals(0, offer.path("context").size(), "a transfer carries no client context: " + offer);

            // The customer hangs up before anyone accepts: the offer is revoked and accepting fails.
            call.customer().requestOk(Map.of("type", "call.hangup", "callId", call.callId()));
            assertEquals("customer_hangup", call.staff().awaitType("call.ended", WAIT).path("reason").asText());
            JsonNode revoked = loans.awaitType("offer.revoked", WAIT);
            assertEquals(offer.path("requestId").asText(), revoked.path("requestId").asText());
            JsonNode late = loans.request(Map.of("type", "offer.accept", "requestId", offer.path("requestId").asText()));
            assertEquals("offer_expired", errorCode(late), late.toString());
            JsonNode presence = loans.request(Map.of("type", "presence.set", "status", "available"));
            assertEquals(0, presence.path("load").asInt(), "the colleague's capacity is free again: " + presence);
        }
    }

    @Test
    void anAcceptedTransferMovesTheCallAndFreesTheFormerStaffMember() {
        try (TestNode node = bridgedNode()) {
            Call call = call(node, "a1");
            WsClient loans = node.signIn(node.staffToken("staff-a1b", "Wang Fang", List.of("loans"), List.of("en"), 1));
            loans.requestOk(Map.of("type", "presence.set", "status", "available"));
            call.staff().requestOk(Map.of("type", "call.transfer", "callId", call.callId(), "topic", "loans", "language", "en"));
            String transferId = loans.awaitType("offer", WAIT).path("requestId").asText();

            JsonNode started = loans.requestOk(Map.of("type", "offer.accept", "requestId", transferId));
            assertEquals("call.started", type(started));
            assertEquals(call.callId(), started.path("callId").asText(), "the same call, not a new one");
            assertEquals("Li Wei", started.path("peer").path("name").asText());

            assertEquals("transferred", call.staff().awaitType("call.ended", WAIT).path("reason").asText());
            JsonNode transferred = call.customer().awaitType("call.transferred", WAIT);
            assertEquals("Wang Fang", transferred.path("peer").path("name").asText());
            JsonNode presence = call.staff().request(Map.of("type", "presence.set", "status", "available"));
            assertEquals(0, presence.path("load").asInt(), "the former staff member is free: " + presence);

            JsonNode record = node.getJson("/api/calls/" + call.callId(), node.supervisorToken("sup-x", "S"));
            assertEquals("staff-a1b", record.path("staff").path("id").asText(), record.toString());
            assertEquals("staff-a1", record.path("formerStaff").path(0).asText(), record.toString());
            assertFalse(record.has("transferring"), record.toString());

            // The former staff member is out of the call; the new one can end it.
            assertEquals("not_found", errorCode(call.staff().request(Map.of("type", "call.hangup", "callId", call.callId()))));
            loans.requestOk(Map.of("type", "call.hangup", "callId", call.callId()));
            assertEquals("staff_hangup", call.customer().awaitType("call.ended", WAIT).path("reason").asText());
        }
    }

    @Test
    void peerToPeerCallsRefuseJoinAndTransferClearly() {
        try (TestNode node = TestNode.start(Map.of("livedesk.calls.media", "p2p"))) {
            Call call = call(node, "p1");
            WsClient supervisor = node.signIn(node.supervisorToken("sup-p1", "Chen Jing"));
            JsonNode join = supervisor.request(Map.of("type", "call.join", "callId", call.callId()));
            assertEquals("not_supported", errorCode(join), join.toString());
            assertTrue(join.path("message").asText().contains("bridge"), join.toString());
            assertEquals("not_supported", errorCode(call.staff().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "topic", "loans", "language", "en"))));
        }
    }

    @Test
    void aTransferToANamedColleagueRingsOnlyForThemAndADeclineLeavesTheCallWithItsStaffMember() {
        try (TestNode node = bridgedNode()) {
            Call call = call(node, "d1");
            WsClient named = node.signIn(node.staffToken("staff-d1b", "Wang Fang", List.of("cards"), List.of("zh"), 1));
            named.requestOk(Map.of("type", "presence.set", "status", "available"));
            WsClient bystander = node.signIn(node.staffToken("staff-d1c", "Liu Yang", List.of("accounts"), List.of("en"), 1));
            bystander.requestOk(Map.of("type", "presence.set", "status", "available"));

            assertEquals("invalid_state", errorCode(call.staff().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "staffId", "staff-d1-nobody"))), "not signed in");
            assertEquals("invalid_state", errorCode(call.staff().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "staffId", "staff-d1"))), "not to oneself");
            assertEquals("bad_message", errorCode(call.staff().request(Map.of("type", "call.transfer",
                    "callId", call.callId(), "staffId", "staff-d1b", "topic", "cards", "language", "en"))));

            JsonNode transferring = call.staff().requestOk(Map.of("type", "call.transfer", "callId", call.callId(),
                    "staffId", "staff-d1b"));
            assertEquals("staff-d1b", transferring.path("staffId").asText(), transferring.toString());
            JsonNode offer = named.awaitType("offer", WAIT);
            assertEquals("accounts", offer.path("topic").asText(), "the offer shows the call's topic");
            assertEquals("staff-d1b", offer.path("transfer").path("to").asText(), offer.toString());
            assertEquals(call.callId(), offer.path("transfer").path("callId").asText());
            assertTrue(bystander.poll(m -> "offer".equals(type(m)), QUIET).isEmpty(),
                    "a colleague with the call's skill is not offered a transfer meant for someone else");

            named.requestOk(Map.of("type", "offer.decline", "requestId", offer.path("requestId").asText()));
            assertEquals("declined", call.staff().awaitType("call.transfer.failed", WAIT).path("reason").asText());
            JsonNode record = node.getJson("/api/calls/" + call.callId(), node.supervisorToken("sup-x", "S"));
            assertFalse(record.has("transferring"), record.toString());
            assertEquals("staff-d1", record.path("staff").path("id").asText());
            assertTrue(bystander.poll(m -> "offer".equals(type(m)), QUIET).isEmpty(), "the declined transfer is gone");

            // Asked again, accepted this time: the call moves to the named colleague.
            named.drain();
            call.staff().requestOk(Map.of("type", "call.transfer", "callId", call.callId(), "staffId", "staff-d1b"));
            // A new transfer is a new request: the decline of the first does not hold it back.
            String again = named.awaitType("offer", WAIT).path("requestId").asText();
            assertEquals(call.callId(), named.requestOk(Map.of("type", "offer.accept", "requestId", again))
                    .path("callId").asText());
            assertEquals("transferred", call.staff().awaitType("call.ended", WAIT).path("reason").asText());
            assertEquals("Wang Fang", call.customer().awaitType("call.transferred", WAIT).path("peer").path("name").asText());
        }
    }

    private static List<String> roles(JsonNode participants) {
        List<String> roles = new java.util.ArrayList<>();
        participants.path("participants").forEach(p -> roles.add(p.path("role").asText()));
        return roles;
    }
}
