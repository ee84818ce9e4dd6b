package io.livedesk.signaling.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.server.LocalConnections;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node-to-node tasks of several kinds side by side, each to its own receiver on the addressed node. */
class NodeTasksTest {
    record Ping(String what) {
    }

    record Pong(int n) {
    }

    private final LocalClusterBus bus = new LocalClusterBus();
    private final ObjectMapper json = new MessageCodec().mapper();
    private final MessageRouter nodeB = new MessageRouter("node-b", new LocalConnections(), new InMemorySessionStore(),
            bus, new MessageCodec());

    @Test
    void eachAddressReachesItsOwnReceiverOnTheAddressedNode() {
        NodeTasks<Ping> pings = new NodeTasks<>(bus, json, "#ping", Ping.class);
        NodeTasks<Pong> pongs = new NodeTasks<>(bus, json, "#pong", Pong.class);
        List<Object> run = new ArrayList<>();
        nodeB.onNodeTasks("#ping", pings.receiver(run::add, Runnable::run, Ping::what));
        nodeB.onNodeTasks("#pong", pongs.receiver(run::add, Runnable::run, p -> "pong " + p.n()));
        nodeB.start();

        pings.forward("node-b", new Ping("one"));
        pongs.forward("node-b", new Pong(2));
        pings.forward("node-c", new Ping("nobody there"));
        bus.publish("node-b", "#ping", "{not json");

        assertEquals(List.of(new Ping("one"), new Pong(2)), run);
    }

    @Test
    void fullWorkersDropTheTaskAndNothingElse() {
        NodeTasks<Ping> pings = new NodeTasks<>(bus, json, "#ping", Ping.class);
        List<Ping> run = new ArrayList<>();
        boolean[] full = {true};
        nodeB.onNodeTasks("#ping", pings.receiver(run::add, task -> {
            if (full[0]) {
                throw new RejectedExecutionException("full");
            }
            task.run();
        }, Ping::what));
        nodeB.start();

        pings.forward("node-b", new Ping("dropped"));
        full[0] = false;
        pings.forward("node-b", new Ping("taken"));

        assertEquals(List.of(new Ping("taken")), run);
    }

    @Test
    void anAddressIsTakenOnceAndNeverOneASubjectCouldHave() {
        nodeB.onNodeTasks("#media", text -> { });
        assertThrows(IllegalStateException.class, () -> nodeB.onNodeTasks("#media", text -> { }));
        assertThrows(IllegalArgumentException.class, () -> nodeB.onNodeTasks("cust-1", text -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NodeTasks<>(bus, json, "media", Ping.class));
        assertTrue(e.getMessage().contains("#"), e.getMessage());
    }
}
