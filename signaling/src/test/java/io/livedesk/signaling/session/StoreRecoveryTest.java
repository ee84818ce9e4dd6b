package io.livedesk.signaling.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallRecords;
import io.livedesk.signaling.call.CallState;
import io.livedesk.signaling.call.EndReason;
import io.livedesk.signaling.call.KnownCalls;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.routing.QueueOrder;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.routing.RequestState;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.TokenBucket;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a node puts back into an empty store, from what its connections hold and the calls it knows: the
 * fixture's in-memory stores stand for the Redis that came back empty.
 */
class StoreRecoveryTest {
    private final CallFlowFixture fx = CallFlowFixture.peerToPeer();
    private final long now = fx.clock.millis();
    private final KnownCalls known = KnownCalls.keeping(fx.clock, Duration.ofSeconds(30), Duration.ofHours(1));
    private final QueueOrder order = new QueueOrder(fx.config.routing().escalationStep().toMillis());
    private final ObjectMapper json = new ObjectMapper();
    private final Map<ClientConnection, EmbeddedChannel> channels = new HashMap<>();
    private int ids;

    private ClientConnection connected(String subject, Role role, Set<String> skills, int capacity) {
        EmbeddedChannel channel = new EmbeddedChannel();
        ClientConnection c = new ClientConnection("conn-" + ++ids, channel, fx.codec, Runnable::run,
                new TokenBucket(10, 10, 0), fx.connections.waitingIndex());
        channels.put(c, channel);
        fx.connections.opened(c);
        c.authenticate(new Principal(Subject.of(subject), role, "Name " + subject, skills, Set.of("en"), capacity, 0));
        fx.connections.bind(Subject.of(subject), c);
        return c;
    }

    private ClientConnection staff(String subject, StaffStatus chosen) {
        ClientConnection c = connected(subject, Role.STAFF, Set.of("loans"), 1);
        c.chose(chosen);
        return c;
    }

    private ClientConnection waitingCustomer(String subject, long enqueuedAt) {
        ClientConnection c = connected(subject, Role.CUSTOMER, Set.of(), 0);
        ServiceRequest r = new ServiceRequest(RequestId.of("r-" + subject), Subject.of(subject), "Name " + subject,
                "loans", "en", 0, Map.of(), enqueuedAt, order.rank(enqueuedAt, 0));
        c.startWaiting(r, 1);
        known.remember(CallRecord.queued(r.callId(), r.customerId(), r.customerName(), "loans", "en", 0, enqueuedAt));
        return c;
    }

    private static CallRecord live(String id, String customer, String staff, long at) {
        return CallRecord.queued(CallId.of(id), Subject.of(customer), "Name " + customer, "loans", "en", 0, at)
                .offered(Subject.of(staff), "Name " + staff, at + 1).answered(at + 2);
    }

    private List<JsonNode> sent(ClientConnection c) throws Exception {
        EmbeddedChannel channel = channels.get(c);
        List<JsonNode> out = new ArrayList<>();
        for (Object frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
            out.add(json.readTree(((TextWebSocketFrame) frame).text()));
            ((TextWebSocketFrame) frame).release();
        }
        return out;
    }

    private void recover() {
        new StoreRecovery(CallFlowFixture.NODE_ID, fx.sessionStore, fx.connections, fx.presence, fx.routing,
                new CallRecords(fx.callStore, known), fx.router, fx.clock).run();
    }

    @Test
    void sessionsStaffCallsAndRequestsComeBackAndTheOldestRequestIsOfferedFirst() throws Exception {
        ClientConnection free = staff("s-free", StaffStatus.AVAILABLE);
        ClientConnection inCall = staff("s-call", StaffStatus.AVAILABLE);
        ClientConnection away = staff("s-away", StaffStatus.AWAY);
        ClientConnection caller = connected("c-call", Role.CUSTOMER, Set.of(), 0);
        known.remember(live("r-c-call", "c-call", "s-call", now - 120_000));
        ClientConnection later = waitingCustomer("c-later", now - 10_000);
        ClientConnection earlier = waitingCustomer("c-earlier", now - 60_000);

        recover();

        for (ClientConnection c : List.of(free, inCall, away, caller, later, earlier)) {
            assertEquals(c.id(), fx.sessionStore.locate(c.principal().subject()).orElseThrow().connectionId());
        }
        assertTrue(fx.callStore.liveCallOf(Subject.of("c-call")).orElseThrow().state().live());
        assertEquals(1, fx.presenceStore.get(Subject.of("s-call")).orElseThrow().load(), "the live call counts");
        assertEquals(StaffStatus.AWAY, fx.presenceStore.get(Subject.of("s-away")).orElseThrow().status());
        // One free member: the request that waited longest is offered, the other keeps its place.
        assertEquals(Optional.of(RequestState.OFFERED), fx.routingStore.state(RequestId.of("r-c-earlier")));
        assertEquals(Subject.of("s-free"), fx.routingStore.offerOf(RequestId.of("r-c-earlier")).orElseThrow().staffId());
        assertEquals(Optional.of(1), fx.routingStore.position(RequestId.of("r-c-later")));
        assertEquals(now - 10_000, fx.routingStore.request(RequestId.of("r-c-later")).orElseThrow().enqueuedAtMs());
        assertEquals(CallState.QUEUED, fx.callStore.get(CallId.of("r-c-earlier")).orElseThrow().state(),
                "its record waits, as any ringing request's, until the offer is accepted");
        assertTrue(sent(free).stream().anyMatch(m -> "offer".equals(m.path("type").asText())
                && "r-c-earlier".equals(m.path("requestId").asText())));

        recover(); // again, as after a put-back that failed half-way: nothing doubles
        assertEquals(1, fx.presenceStore.get(Subject.of("s-call")).orElseThrow().load());
        assertEquals(Subject.of("s-free"), fx.routingStore.offerOf(RequestId.of("r-c-earlier")).orElseThrow().staffId());
        assertEquals(Optional.of(1), fx.routingStore.position(RequestId.of("r-c-later")));
    }

    @Test
    void aCallAlreadyPutBackLiveByAnotherNodeEndsWhenThisNodeKnowsItEndedAndItsMemberIsFreed() {
        staff("s-1", StaffStatus.AVAILABLE);
        CallRecord live = live("r-x", "c-elsewhere", "s-1", now - 60_000);
        fx.callStore.create(live); // put back by the staff member's node, which did not see the end
        recover();
        assertEquals(1, fx.presenceStore.get(Subject.of("s-1")).orElseThrow().load());

        known.remember(live.ended(EndReason.CUSTOMER_HANGUP, now - 1_000)); // this node ended it
        recover();
        assertEquals(CallState.ENDED, fx.callStore.get(CallId.of("r-x")).orElseThrow().state());
        assertEquals(Optional.empty(), fx.callStore.liveCallOf(Subject.of("s-1")));
        assertEquals(0, fx.presenceStore.get(Subject.of("s-1")).orElseThrow().load());
    }

    @Test
    void aTransferUnderWayIsCalledOffAndTheStaffMemberTold() throws Exception {
        ClientConnection s = staff("s-1", StaffStatus.AVAILABLE);
        known.remember(live("r-t", "c-t", "s-1", now - 60_000).transferring(RequestId.of("t-gone"), null));
        recover();
        assertNull(fx.callStore.get(CallId.of("r-t")).orElseThrow().transferRequestId());
        assertTrue(sent(s).stream().anyMatch(m -> "call.transfer.failed".equals(m.path("type").asText())
                && "interrupted".equals(m.path("reason").asText())));
    }

    @Test
    void aRequestWhoseCallWentAheadIsNotQueuedAgain() {
        ClientConnection c = waitingCustomer("c-1", now - 5_000);
        known.remember(live("r-c-1", "c-1", "s-9", now - 5_000).connected(now - 1_000));
        recover();
        assertTrue(fx.routingStore.request(RequestId.of("r-c-1")).isEmpty(), "its call is put back, not the request");
        assertEquals(CallState.ACTIVE, fx.callStore.get(CallId.of("r-c-1")).orElseThrow().state());
        assertTrue(c.isWaiting());
    }
}
