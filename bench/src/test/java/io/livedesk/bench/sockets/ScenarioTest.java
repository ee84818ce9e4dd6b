package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioTest {
    @Test
    void liveIsOneSenderFannedOutToEveryViewer() {
        Scenario live = Scenario.of("live", 50, 0, 0);

        assertEquals(1, live.conferences().size());
        assertEquals(1, live.senders());
        assertEquals(50, live.copiesPerRound());
        Scenario.Conference c = live.conferences().get(0);
        Scenario.Member viewer = c.members().get(1);
        assertEquals(List.of(c.members().get(0)), c.sendersTo(viewer));
        assertTrue(c.sendersTo(c.members().get(0)).isEmpty(), "the host receives nothing");
    }

    @Test
    void callsArePairsWithFanOutOne() {
        Scenario calls = Scenario.calls(20);

        assertEquals(20, calls.conferences().size());
        assertEquals(40, calls.senders());
        assertEquals(40, calls.copiesPerRound());
    }

    @Test
    void threeIsGroupsWhereEachReceivesTheOtherTwo() {
        Scenario three = Scenario.three(10);

        assertEquals(10, three.conferences().size());
        assertEquals(30, three.senders());
        assertEquals(60, three.copiesPerRound());
        for (Scenario.Conference c : three.conferences()) {
            for (Scenario.Member m : c.members()) {
                assertEquals(2, c.sendersTo(m).size());
                assertEquals(2, c.receiversOf(m).size());
                assertTrue(!c.sendersTo(m).contains(m));
            }
        }
    }

    @Test
    void everySsrcIsUniqueInAScenario() {
        for (Scenario s : List.of(Scenario.calls(100), Scenario.three(100), Scenario.live(10))) {
            Set<Long> ssrcs = new HashSet<>();
            s.conferences().forEach(c -> c.senders().forEach(m -> assertTrue(ssrcs.add(m.ssrc()), s.name())));
        }
    }

    @Test
    void relayIsOneSenderOnBridgeAWithAsManyViewersOnEachBridge() {
        Scenario relay = Scenario.of("relay", 50, 0, 0);

        assertEquals(2, relay.conferences().size());
        assertEquals(1, relay.senders(), "only bridge A's host sends");
        assertEquals(51, relay.conferences().get(0).members().size());
        assertEquals(50, relay.conferences().get(1).members().size());
        assertTrue(relay.conferences().get(1).senders().isEmpty(), "bridge B's viewers send nothing");
        assertEquals(100, relay.copiesPerRound(), "delivered to viewers on both bridges, the relay's copy not counted");
        assertTrue(relay.describe().contains("50 viewers on A and 50 on B"), relay.describe());
        assertThrows(IllegalArgumentException.class, () -> Scenario.of("relay", 5, 0, 0, true));
    }

    @Test
    void unknownScenarioIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Scenario.of("four", 1, 1, 1));
    }
}
