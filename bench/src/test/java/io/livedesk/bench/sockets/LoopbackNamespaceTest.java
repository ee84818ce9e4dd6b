package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopbackNamespaceTest {
    @Test
    void setupPutsTheAliasOnLoFirstThenOnItsOwnInterfaceThenRunsTheCommand() {
        String script = LoopbackNamespace.setupScript();
        int onLo = script.indexOf("ip addr add " + LoopbackNamespace.ALIAS + "/32 dev lo");
        int onOwn = script.indexOf("ip addr add " + LoopbackNamespace.ALIAS + "/32 dev " + LoopbackNamespace.INTERFACE);

        assertTrue(script.startsWith("set -e; ip link set lo up;"), script);
        assertTrue(onLo > 0 && onOwn > onLo, "lo must hold the address first (libnice's IP_UNICAST_IF): " + script);
        assertTrue(script.endsWith("exec \"$@\""), script);
    }
}
