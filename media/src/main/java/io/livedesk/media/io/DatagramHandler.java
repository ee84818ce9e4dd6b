package io.livedesk.media.io;

import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;

/**
 * What a {@link MediaSocket} does with each datagram it receives, on the socket's I/O thread. The handler owns
 * {@code content} for the call: it must release it, or hand it on (for example to {@link Outbox#send}, which
 * takes ownership). It must not block.
 */
@FunctionalInterface
public interface DatagramHandler {
    void onDatagram(ByteBuf content, InetSocketAddress sender, Outbox out);

    /** After the datagrams of one read pass: the outbox is flushed right after this. */
    default void onReadComplete(Outbox out) {
    }
}
