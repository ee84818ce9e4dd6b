package io.livedesk.media.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;

/**
 * Where a handler sends datagrams from the socket's I/O thread. Sends are queued and leave together when the
 * read pass ends (one {@code sendmmsg} on epoll), not one syscall each.
 */
public interface Outbox {
    /** Queues {@code content} for {@code recipient}; takes ownership of the buffer. */
    void send(ByteBuf content, InetSocketAddress recipient);

    /** Pooled direct buffers, to build outgoing datagrams in without a copy. */
    ByteBufAllocator alloc();
}
