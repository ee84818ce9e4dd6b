package io.livedesk.signaling.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MeetingId;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.testing.BrowserOffer;
import io.livedesk.signaling.testing.CallFlowFixture;
import io.livedesk.signaling.testing.EmbeddedClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.livedesk.signaling.testing.CallFlowFixture.customer;
import static io.livedesk.signaling.testing.CallFlowFixture.staff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A party of a call drops and comes back, as one node's services see it: the other party is told
 * {@code call.peer} at once when the party's socket closes or their media stops, and again when they are back;
 * the call ends with the party's {@code *_disconnected} reason when the grace period runs out.
 */
class PeerDropTest {
    private static final BrowserOffer CUSTOMER_PAGE = BrowserOffer.of("custpage", 1);
    private static final BrowserOffer STAFF_PAGE = BrowserOffer.of("staffpage", 2);
    private static final BrowserOffer STAFF_RELOADED = BrowserOffer.of("staffagain", 4);

    private CallFlowFixture fx;
    private EmbeddedClient customer;
    private EmbeddedClient staff;
    private CallId callId;
    private long round;

    private void call(CallFlowFixture fixture) {
        fx = fixture;
        customer = fx.signIn(customer("cust-wei"));
        staff = fx.signIn(staff("agent-zhang"));
        callId = fx.call(customer, staff);
    }

    /** A bridged call whose two legs flow, as the bridge pool reports them. */
    private void bridgedCallWithMedia() {
        call(CallFlowFixture.bridged());
        fx.offer(customer, callId, CUSTOMER_PAGE);
        fx.offer(staff, callId, STAFF_PAGE);
        report("customer", MediaFlow.FLOWING);
        report("staff-1", MediaFlow.FLOWING);
        customer.clear();
        staff.clear();
    }

    private void report(String endpoint, MediaFlow flow) {
        fx.negotiator.mediaChanged(new BridgePool.MediaChanges(++round,
                List.of(new EndpointMedia(new MeetingId(callId.value()), endpoint, flow))));
    }

    private List<String> peerNotices(EmbeddedClient c) {
        return c.received("call.peer").stream().map(m -> {
            assertEquals(callId.value(), m.path("callId").asText());
            return m.path("role").asText() + ":" + m.path("status").asText();
        }).toList();
    }

    @Test
    void theStaffPageClosingIsToldToTheCustomerAtOnceAndItsNewPageIsBackWhenItsMediaFlows() {
        bridgedCallWithMedia();

        staff.disconnect();
        assertEquals(List.of("staff:reconnecting"), peerNotices(customer));

        report("staff-1", MediaFlow.STOPPED); // the bridge notices too: nothing new to tell
        EmbeddedClient back = fx.signIn(staff("agent-zhang"));
        assertEquals(List.of("staff:reconnecting"), peerNotices(customer), "signed in again, no media yet");

        fx.offer(back, callId, STAFF_RELOADED);
        report("staff-2", MediaFlow.CONNECTING);
        assertEquals(List.of("staff:reconnecting"), peerNotices(customer));
        report("staff-2", MediaFlow.FLOWING);
        assertEquals(List.of("staff:reconnecting", "staff:connected"), peerNotices(customer));
        assertTrue(peerNotices(back).isEmpty(), "the party is never told about themselves");
    }

    @Test
    void mediaThatStopsWhileTheSocketStaysIsToldAndSoIsItsReturn() {
        bridgedCallWithMedia();

        report("customer", MediaFlow.STOPPED);
        assertEquals(List.of("customer:reconnecting"), peerNotices(staff));
        assertTrue(customer.received("call.peer").isEmpty());

        report("customer", MediaFlow.FLOWING);
        assertEquals(List.of("customer:reconnecting", "customer:connected"), peerNotices(staff));
    }

    @Test
    void whenTheGraceRunsOutTheCallEndsAsTheStaffMemberDisconnected() {
        bridgedCallWithMedia();

        staff.disconnect();
        fx.clock.advance(CallFlowFixture.GRACE.plus(Duration.ofSeconds(1)));
        fx.sessions.reapExpired();

        JsonNode ended = customer.lastOf("call.ended");
        assertEquals("staff_disconnected", ended.path("reason").asText());
        assertEquals(List.of("staff:reconnecting"), peerNotices(customer), "nothing more about the staff member");

        report("staff-1", MediaFlow.STOPPED);
        assertEquals(List.of("staff:reconnecting"), peerNotices(customer), "an ended call's media is no news");
    }

    @Test
    void peerToPeerCallsTellOfTheClosedSocketAndOfTheReturn() {
        call(CallFlowFixture.peerToPeer());

        customer.disconnect();
        assertEquals(List.of("customer:reconnecting"), peerNotices(staff));

        EmbeddedClient back = fx.signIn(customer("cust-wei"));
        assertEquals(List.of("customer:reconnecting", "customer:connected"), peerNotices(staff));
        assertTrue(peerNotices(back).isEmpty());
    }

    @Test
    void aSocketThatClosesWithoutACallTellsNobody() {
        fx = CallFlowFixture.bridged();
        customer = fx.signIn(customer("cust-wei"));
        staff = fx.signIn(staff("agent-zhang"));

        customer.disconnect();

        assertTrue(staff.received("call.peer").isEmpty());
    }
}
