package io.livedesk.media.bridge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeConfigTest {
    private final BridgeConfig netty = BridgeConfig.defaults("127.0.0.1", 10000).withIo("netty");

    @Test
    void relaysGetAPortTheSystemPicksUnlessOneIsGiven() {
        assertEquals(0, netty.relayPort());
        assertEquals(10001, netty.withRelayPort(10001).relayPort());
    }

    @Test
    void aRelayPortThatCannotBeUsedIsRefusedAtStart() {
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> netty.withRelayPort(10000));
        assertTrue(same.getMessage().contains("is the media port itself"), same.getMessage());
        assertThrows(IllegalArgumentException.class, () -> netty.withRelayPort(70000));
        assertThrows(IllegalArgumentException.class, () -> netty.withRelayPort(-1));
        BridgeConfig ice4j = netty.withIo("ice4j");
        IllegalArgumentException unused = assertThrows(IllegalArgumentException.class, () -> ice4j.withRelayPort(10001));
        assertTrue(unused.getMessage().contains("relays use the bridge's port"), unused.getMessage());
        assertEquals(10000, ice4j.withRelayPort(10000).relayPort(), "its own port is what ice4j relays use anyway");
    }
}
