package io.livedesk.media.io;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;

/**
 * Which of Netty's transports carries the media port: Linux's epoll (batched receive and send, several sockets
 * on one port with SO_REUSEPORT) where its native library loads, else the JDK's NIO (one socket, one datagram
 * per syscall): chosen at start-up and logged by the socket.
 */
public enum IoTransport {
    EPOLL, NIO;

    /** {@code auto}: epoll when available; {@code epoll} fails when it is not; {@code nio}. */
    public static IoTransport choose(String setting) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "auto" -> Epoll.isAvailable() ? EPOLL : NIO;
            case "epoll" -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("the epoll transport is not available here: "
                            + Epoll.unavailabilityCause());
                }
                yield EPOLL;
            }
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("transport must be auto, epoll or nio, got " + setting);
        };
    }

    IoHandlerFactory ioHandlerFactory(SelectStrategyFactory waiting) {
        return this == EPOLL ? EpollIoHandler.newFactory(0, waiting)
                : NioIoHandler.newFactory(SelectorProvider.provider(), waiting);
    }

    Class<? extends Channel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
