package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.routing.Transfer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Call and request ids: what makes an id, and the one rule that links the two. */
class CallIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "r 1", "c-ü", "a/b", "x\n"})
    void whatCannotBeAnIdIsRefused(String raw) {
        assertEquals("callId is not a valid id", assertThrows(IllegalArgumentException.class, () -> CallId.of(raw)).getMessage());
        assertEquals("requestId is not a valid id",
                assertThrows(IllegalArgumentException.class, () -> RequestId.of(raw)).getMessage());
        assertEquals(Optional.empty(), CallId.parse(raw));
    }

    @Test
    void anIdIsAtMost64Characters() {
        assertEquals("x".repeat(64), CallId.of("x".repeat(64)).value());
        assertThrows(IllegalArgumentException.class, () -> CallId.of("x".repeat(65)));
        assertEquals(Optional.empty(), CallId.parse(null));
    }

    @Test
    void aCallAndARequestWithTheSameTextAreDifferentValues() {
        assertNotEquals(CallId.of("r-1"), RequestId.of("r-1"));
        assertEquals(CallId.of("r-1"), CallId.of(RequestId.of("r-1")));
    }

    @Test
    void aCustomersRequestIsAboutTheCallItBecomesATransferAboutTheCallItHandsOver() {
        var own = new ServiceRequest(RequestId.of("r-1"), Subject.of("cust"), "Customer", "loans", "en", 0, Map.of(), 0, 0);
        var transfer = new ServiceRequest(RequestId.of("t-2"), Subject.of("cust"), "Customer", "loans", "en", 0, Map.of(), 0, 0,
                Transfer.toQueue(CallId.of("r-1"), "Zhang Min"));

        assertEquals(CallId.of("r-1"), own.callId());
        assertEquals(CallId.of("r-1"), transfer.callId(), "not t-2: a transfer request has no call of its own");
    }

    @Test
    void onTheWireAnIdIsItsPlainString() {
        String json = new MessageCodec().write(new ServerMessage.CallEnded("h1", CallId.of("r-1"), "left"));
        assertEquals("{\"type\":\"call.ended\",\"id\":\"h1\",\"callId\":\"r-1\",\"reason\":\"left\"}", json);
    }
}
