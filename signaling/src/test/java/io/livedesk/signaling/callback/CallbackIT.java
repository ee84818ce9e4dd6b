package io.livedesk.signaling.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Callback requests over real sockets, two nodes and one Redis: the customer leaves one (allowed while nobody
 * is free), staff of its queue on the other node are told and see it, staff of other queues do not, only one of
 * two takes it, only the holder (or a supervisor) closes it, and bad input gets a clear error.
 */
class CallbackIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    @Test
    void aCallbackRequestReachesTheQueuesStaffOnEveryNodeAndIsTakenAndClosedOnce() {
        REDIS.flushAll();
        Map<String, Object> settings = Map.of("livedesk.redis.url", REDIS.url());
        try (TestNode a = TestNode.start(settings); TestNode b = TestNode.start(settings)) {
            WsClient zhang = b.signIn(b.staffToken("staff-cb1", "Zhang Min", List.of("loans"), List.of("en"), 1));
            WsClient wang = b.signIn(b.staffToken("staff-cb2", "Wang Fang", List.of("loans"), List.of("en"), 1));
            WsClient other = a.signIn(a.staffToken("staff-cb3", "Liu Yang", List.of("cards"), List.of("en"), 1));
            WsClient supervisor = a.signIn(a.supervisorToken("sup-cb", "Chen Jie"));
            WsClient customer = a.signIn(a.customerToken("cust-cb", "Li Wei"));

            JsonNode badPhone = customer.request(callback("call me maybe", ""));
            assertEquals("bad_message", badPhone.path("code").asText(), badPhone.toString());
            JsonNode nothing = customer.request(callback("", ""));
            assertEquals("bad_message", nothing.path("code").asText());
            assertTrue(nothing.path("message").asText().contains("phone number or a note"), nothing.toString());
            assertEquals("forbidden", customer.request(Map.of("type", "callbacks.list")).path("code").asText(),
                    "customers do not list callbacks");

            JsonNode sent = customer.requestOk(callback("+44 20 7946 0000", "about my mortgage"));
            assertEquals("callback.requested", sent.path("type").asText());
            String id = sent.path("callbackId").asText();
            zhang.awaitType("callbacks.changed", WAIT); // told on the other node
            assertEquals("invalid_state", customer.request(callback("+44 20 7946 0000", "")).path("code").asText(),
                    "one at a time");

            JsonNode list = zhang.requestOk(Map.of("type", "callbacks.list"));
            JsonNode item = list.path("open").get(0);
            assertEquals(id, item.path("callbackId").asText());
            assertEquals("Li Wei", item.path("name").asText());
            assertEquals("after 6 pm", item.path("preferredTime").asText());
            assertEquals("/loans/mortgage", item.path("context").path("page").asText());
            assertEquals(0, other.requestOk(Map.of("type", "callbacks.list")).path("open").size(), "not their queue");
            assertEquals(1, supervisor.requestOk(Map.of("type", "callbacks.list")).path("open").size(), "supervisors see all");
            assertEquals("not_found", other.request(Map.of("type", "callback.take", "callbackId", id)).path("code").asText());

            JsonNode taken = zhang.requestOk(Map.of("type", "callback.take", "callbackId", id));
            assertEquals("taken", taken.path("callback").path("state").asText());
            assertEquals("invalid_state", wang.request(Map.of("type", "callback.take", "callbackId", id)).path("code").asText());
            assertEquals(1, zhang.requestOk(Map.of("type", "callbacks.list")).path("mine").size());
            assertEquals(0, wang.requestOk(Map.of("type", "callbacks.list")).path("open").size());

            assertEquals("invalid_state", wang.request(close(id, "reached")).path("code").asText(), "not the holder");
            assertEquals("bad_message", zhang.request(close(id, "fixed it")).path("code").asText());
            JsonNode closed = zhang.requestOk(close(id, "no_answer"));
            assertEquals("closed", closed.path("callback").path("state").asText());
            assertEquals("no_answer", closed.path("callback").path("outcome").asText());
            assertEquals(0, zhang.requestOk(Map.of("type", "callbacks.list")).path("mine").size());

            // Closed: the customer may ask again, and a supervisor may close an open one for anyone.
            String again = customer.requestOk(callback("+44 20 7946 0000", "")).path("callbackId").asText();
            JsonNode bySupervisor = supervisor.requestOk(close(again, "not_needed"));
            assertEquals("sup-cb", bySupervisor.path("callback").path("staffId").asText());
            for (WsClient c : List.of(zhang, wang, other, supervisor, customer)) {
                c.close();
            }
        }
    }

    private static Map<String, Object> callback(String phone, String note) {
        return Map.of("type", "callback.request", "topic", "loans", "language", "en", "name", "Li Wei", "phone", phone,
                "note", note, "preferredTime", "after 6 pm", "context", Map.of("page", "/loans/mortgage"));
    }

    private static Map<String, Object> close(String id, String outcome) {
        return Map.of("type", "callback.close", "callbackId", id, "outcome", outcome, "note", "");
    }
}
