package io.livedesk.bench.sockets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few threads (one per core) that read every synthetic peer's media, each a selector over non-blocking
 * channels, as a load generator for many clients would. Why it matters: on loopback the kernel delivers each
 * datagram, and wakes the thread waiting for it, inside the sender's {@code sendmmsg}, so that work is charged to
 * the bridge's system time. With a blocked thread per peer nearly every datagram the bridge sent woke a thread
 * (about a third of the bridge's CPU in the live scenario); here a burst of datagrams for many peers wakes a
 * reading thread at most once. A browser across a network costs the bridge neither.
 */
final class SharedReceiver implements AutoCloseable {
    /** Datagrams taken from one channel before the next ready one gets its turn. */
    private static final int PER_CHANNEL = 64;

    private final List<Selector> selectors = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    SharedReceiver(int threads) throws IOException {
        try {
            for (int i = 0; i < threads; i++) {
                Selector selector = Selector.open();
                selectors.add(selector);
                Thread t = new Thread(() -> loop(selector), "bench-shared-receiver-" + i);
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Gets each datagram in the reading thread's own buffer, valid (and the consumer's to change) until it returns. */
    @FunctionalInterface
    interface Media {
        void accept(byte[] buf, int len);
    }

    /**
     * A non-blocking channel bound to {@code local}, its RTP and RTCP datagrams (first byte 128-191) handed to
     * {@code media} on one of the reading threads. The caller closes it.
     */
    DatagramChannel open(InetSocketAddress local, Media media) throws IOException {
        Selector selector = selectors.get(Math.floorMod(next.getAndIncrement(), selectors.size()));
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            ch.bind(local);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, media);
            selector.wakeup();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    private void loop(Selector selector) {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        byte[] bytes = new byte[2048];
        while (!closed) {
            try {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    drain((DatagramChannel) key.channel(), media(key), buf, bytes);
                }
                selector.selectedKeys().clear();
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // A channel closed under us (the run is ending): the others go on.
            }
        }
    }

    private static void drain(DatagramChannel ch, Media media, ByteBuffer buf, byte[] bytes)
            throws IOException {
        for (int i = 0; i < PER_CHANNEL; i++) {
            buf.clear();
            if (ch.receive(buf) == null) {
                return;
            }
            buf.flip();
            int len = buf.remaining();
            buf.get(bytes, 0, len);
            int first = bytes[0] & 0xFF;
            if (len > 0 && first >= 128 && first < 192) {
                media.accept(bytes, len); // no copy: the tool's own garbage collections would show as latency
            }
        }
    }

    private static Media media(SelectionKey key) {
        return (Media) key.attachment();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        for (Selector selector : selectors) {
            selector.close();
        }
    }
}
