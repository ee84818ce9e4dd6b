package io.livedesk.signaling.server;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.MessageCodec;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The indexes the routing sweep reads: staff here, and the connections whose request waits. */
class LocalConnectionsTest {
    private final LocalConnections local = new LocalConnections();
    private int ids;

    private ClientConnection signedIn(String subject, Role role) {
        ClientConnection c = new ClientConnection("c-" + ++ids, new EmbeddedChannel(), new MessageCodec(), Runnable::run,
                new TokenBucket(10, 10, 0), local.waitingIndex());
        local.opened(c);
        c.authenticate(new Principal(Subject.of(subject), role, subject, Set.of(), Set.of(), 1, 0));
        local.bind(Subject.of(subject), c);
        return c;
    }

    @Test
    void staffHereAreTheServingRolesOnlyAndLeaveWhenTheirConnectionCloses() {
        ClientConnection staff = signedIn("s-1", Role.STAFF);
        signedIn("sup-1", Role.SUPERVISOR);
        signedIn("c-1", Role.CUSTOMER);
        signedIn("v-1", Role.VIEWER);
        assertEquals(Set.of(Subject.of("s-1"), Subject.of("sup-1")), Set.copyOf(local.staffHere()));
        local.closed(staff);
        assertEquals(List.of(Subject.of("sup-1")), local.staffHere());
    }

    @Test
    void waitingAreThoseWhoseRequestWaitsOnTheirCurrentConnection() {
        ClientConnection customer = signedIn("c-1", Role.CUSTOMER);
        ClientConnection viewer = signedIn("v-1", Role.VIEWER);
        signedIn("c-2", Role.CUSTOMER);
        customer.startWaiting(null, 1);
        viewer.startWaiting(null, 2);
        assertEquals(Set.of(customer, viewer), Set.copyOf(local.customersWaiting()));

        viewer.stopWaiting();
        assertEquals(List.of(customer), local.customersWaiting());

        ClientConnection again = signedIn("c-1", Role.CUSTOMER); // a second sign-in replaces the first
        assertEquals(List.of(), local.customersWaiting(), "the replaced connection no longer counts");
        again.startWaiting(null, 1);
        local.closed(customer);
        assertEquals(List.of(again), local.customersWaiting());
        local.closed(again);
        assertEquals(List.of(), local.customersWaiting());
    }
}
