package io.livedesk.signaling.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The {@link ClusterBus} contract. A subclass gives the bus each node uses: in one process that is one
 * shared bus, with Redis one bus per node. Delivery may be asynchronous, so the tests wait for it.
 */
public abstract class ClusterBusContract {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The bus that node {@code nodeId} uses; called once per node and test. */
    protected abstract ClusterBus busFor(String nodeId);

    /** Closes the buses and whatever else the test opened. */
    protected abstract void closeBuses();

    @AfterEach
    void tearDown() {
        closeBuses();
    }

    /** What one listener received, as "subject|json". */
    static final class Inbox implements ClusterBus.Listener {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void deliver(String subject, String json) {
            received.add(subject + "|" + json);
        }

        List<String> snapshot() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }
    }

    @Test
    void messagesReachTheAddressedNodeOnlyInOrder() {
        ClusterBus a = busFor("node-a");
        ClusterBus b = busFor("node-b");
        Inbox inboxA = new Inbox();
        Inbox inboxB = new Inbox();
        a.subscribe("node-a", inboxA);
        b.subscribe("node-b", inboxB);

        a.publish("node-b", "cust-1", "{\"type\":\"offer\",\"n\":1}");
        b.publish("node-a", "staff-1", "{\"type\":\"ping\"}");
        a.publish("node-b", "cust-2", "{\"type\":\"offer\",\"n\":2}");

        await().atMost(WAIT).until(() -> inboxB.snapshot().size() == 2 && inboxA.snapshot().size() == 1);
        assertEquals(List.of("cust-1|{\"type\":\"offer\",\"n\":1}", "cust-2|{\"type\":\"offer\",\"n\":2}"),
                inboxB.snapshot());
        assertEquals(List.of("staff-1|{\"type\":\"ping\"}"), inboxA.snapshot());
    }

    @Test
    void aMessageToAllNodesReachesEveryNodeOnceIncludingTheSender() {
        ClusterBus a = busFor("node-a");
        ClusterBus b = busFor("node-b");
        Inbox inboxA = new Inbox();
        Inbox inboxB = new Inbox();
        a.subscribe("node-a", inboxA);
        b.subscribe("node-b", inboxB);

        a.publishToAll("#live", "{\"n\":1}");
        a.publish("node-b", "cust-1", "{\"n\":2}");

        await().atMost(WAIT).until(() -> inboxB.snapshot().size() == 2 && inboxA.snapshot().size() == 1);
        assertEquals(List.of("#live|{\"n\":1}"), inboxA.snapshot());
        assertEquals(List.of("#live|{\"n\":1}", "cust-1|{\"n\":2}"), inboxB.snapshot(),
                "in order with the node's own messages");
    }

    @Test
    void messagesArriveIntact() {
        ClusterBus a = busFor("node-a");
        Inbox inbox = new Inbox();
        a.subscribe("node-a", inbox);
        String json = "{\"text\":\"你好 \\\"quoted\\\" \\\\ back\\nslash\",\"emoji\":\"\uD83D\uDE00\"}";

        a.publish("node-a", "subject with spaces/和中文", json);

        await().atMost(WAIT).until(() -> inbox.snapshot().size() == 1);
        assertEquals(List.of("subject with spaces/和中文|" + json), inbox.snapshot());
    }

    @Test
    void largeMessagesArriveWhole() {
        ClusterBus a = busFor("node-a");
        Inbox inbox = new Inbox();
        a.subscribe("node-a", inbox);
        String json = "{\"transcript\":\"" + "word ".repeat(100_000) + "\"}";

        a.publish("node-a", "staff-1", json);

        await().atMost(WAIT).until(() -> inbox.snapshot().size() == 1);
        assertEquals("staff-1|" + json, inbox.snapshot().get(0));
    }

    @Test
    void aMessageForAnUnknownNodeIsDropped() {
        ClusterBus a = busFor("node-a");
        Inbox inbox = new Inbox();
        a.subscribe("node-a", inbox);

        a.publish("node-gone", "cust-1", "{}");
        a.publish("node-a", "cust-2", "{}");

        await().atMost(WAIT).until(() -> inbox.snapshot().size() == 1);
        assertEquals(List.of("cust-2|{}"), inbox.snapshot());
    }

    @Test
    void aFailingListenerDoesNotStopDelivery() {
        ClusterBus a = busFor("node-a");
        Inbox inbox = new Inbox();
        a.subscribe("node-a", (subject, json) -> {
            if (subject.equals("boom")) {
                throw new IllegalStateException("listener failure");
            }
            inbox.deliver(subject, json);
        });

        a.publish("node-a", "boom", "{}");
        a.publish("node-a", "after", "{}");

        await().atMost(WAIT).until(() -> inbox.snapshot().size() == 1);
        assertEquals(List.of("after|{}"), inbox.snapshot());
    }
}
