package io.livedesk.signaling.config;

import io.livedesk.signaling.config.LiveDeskConfig.Transport;
import io.livedesk.signaling.server.SocketTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveDeskConfigServerTest {

    @Test
    void transportDefaultsToAutoAndIsReadInAnyCase() {
        assertEquals(Transport.AUTO, LiveDeskConfig.withOverrides(Map.of()).server().transport());
        assertEquals(Transport.NIO, LiveDeskConfig.withOverrides(Map.of("livedesk.server.transport", "nio")).server().transport());
        assertEquals(Transport.EPOLL, LiveDeskConfig.withOverrides(Map.of("livedesk.server.transport", "EPOLL")).server().transport());
        var bad = assertThrows(IllegalArgumentException.class, () -> LiveDeskConfig.withOverrides(Map.of(
                "livedesk.server.transport", "kqueue")));
        assertTrue(bad.getMessage().contains("server.transport"), bad.getMessage());
    }

    @Test
    void autoTakesEpollWhereItLoadsAndNioIsAlwaysThere() {
        SocketTransport auto = SocketTransport.choose(Transport.AUTO);
        assertEquals(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class, auto.serverChannel());
        assertEquals(NioServerSocketChannel.class, SocketTransport.choose(Transport.NIO).serverChannel());
    }
}
