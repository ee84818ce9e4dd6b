package io.livedesk.signaling.server;

import io.livedesk.signaling.config.LiveDeskConfig.Transport;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The node's socket transport, chosen once at start-up. Linux's epoll (Netty's native transport) costs less CPU
 * per write than NIO, which matters when a livestream's counts and chat go to thousands of sockets a second;
 * NIO serves where the native library does not load.
 */
public record SocketTransport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {

    public static SocketTransport choose(Transport wanted) {
        return switch (wanted) {
            case NIO -> nio();
            case EPOLL -> {
                Epoll.ensureAvailability();
                yield epoll();
            }
            case AUTO -> Epoll.isAvailable() ? epoll() : nio();
        };
    }

    /** Why epoll was not chosen under {@code auto}, for the start-up log; null when it was. */
    public static String epollUnavailableReason() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : cause.toString();
    }

    private static SocketTransport epoll() {
        return new SocketTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }

    private static SocketTransport nio() {
        return new SocketTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
