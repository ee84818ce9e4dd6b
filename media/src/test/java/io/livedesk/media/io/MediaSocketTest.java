package io.livedesk.media.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The media port over real loopback sockets: every datagram in is forwarded to every receiver exactly once
 * (batched reads and sends, on epoll with one and two sockets and on NIO, with and without coalescing), no
 * buffer leaks under Netty's paranoid leak detection (and a deliberate leak is caught, so the check can fail),
 * and a handler that throws does not stop the port.
 */
class MediaSocketTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PACKETS = 3_000;
    private static final int WINDOW = 64;
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static ResourceLeakDetector.Level before;

    @BeforeAll
    static void paranoid() {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ByteBufUtil.setLeakListener((type, records) -> LEAKS.add(type));
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(before);
    }

    /** Forwards each datagram to every receiver: a copy each but the last, which takes the original. */
    private static DatagramHandler fanOut(List<InetSocketAddress> receivers, AtomicInteger handled) {
        return (content, sender, out) -> {
            handled.incrementAndGet();
            for (int i = 0; i < receivers.size(); i++) {
                ByteBuf copy = i == receivers.size() - 1 ? content : content.retainedDuplicate();
                out.send(copy, receivers.get(i));
            }
        };
    }

    @ParameterizedTest(name = "{0}, {1} socket(s), coalescing {2} us")
    @CsvSource({"epoll, 1, 200", "epoll, 2, 200", "nio, 1, 200", "epoll, 1, 0"})
    void everyDatagramInIsForwardedToEveryReceiverExactlyOnceWithoutLeaks(String transport, int sockets,
                                                                          long coalesceMicros) throws Exception {
        LEAKS.clear();
        List<DatagramChannel> receivers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DatagramChannel r = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
            r.socket().setReceiveBufferSize(4 << 20);
            r.configureBlocking(false);
            receivers.add(r);
            addresses.add((InetSocketAddress) r.getLocalAddress());
        }
        AtomicInteger handled = new AtomicInteger();
        MediaSocket.Settings settings = MediaSocket.Settings.defaults().withTransport(transport).withIoThreads(sockets)
                .withCoalesce(Duration.ofNanos(coalesceMicros * 1000));
        try (MediaSocket socket = MediaSocket.open(new InetSocketAddress(LOOPBACK, 0), settings, fanOut(addresses, handled));
             DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            assertEquals(IoTransport.valueOf(transport.toUpperCase()), socket.transport());
            assertEquals(sockets, socket.sockets());
            List<BitSet> seen = List.of(new BitSet(PACKETS), new BitSet(PACKETS), new BitSet(PACKETS));
            ByteBuffer out = ByteBuffer.allocate(1200);
            for (int seq = 0; seq < PACKETS; seq++) {
                out.clear();
                out.putInt(seq).put(new byte[1196]).flip();
                sender.send(out, socket.localAddress());
                if ((seq + 1) % WINDOW == 0 || seq == PACKETS - 1) {
                    // Paced by windows, so no socket buffer overflows and any loss is the port's own.
                    int upTo = seq + 1;
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
                        drain(receivers, seen);
                        return seen.stream().allMatch(s -> s.cardinality() == upTo);
                    });
                }
            }
            assertEquals(PACKETS, handled.get());
            for (int i = 0; i < receivers.size(); i++) {
                assertEquals(PACKETS, seen.get(i).cardinality(), "receiver " + i);
            }
        } finally {
            for (DatagramChannel r : receivers) {
                r.close();
            }
        }
        assertNoLeaks();
    }

    private static void drain(List<DatagramChannel> receivers, List<BitSet> seen) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(2048);
        for (int i = 0; i < receivers.size(); i++) {
            while (true) {
                in.clear();
                if (receivers.get(i).receive(in) == null) {
                    break;
                }
                in.flip();
                assertEquals(1200, in.remaining(), "the datagram arrives whole");
                int seq = in.getInt();
                assertFalse(seen.get(i).get(seq), "duplicate " + seq + " at receiver " + i);
                seen.get(i).set(seq);
            }
        }
    }

    @Test
    void aDeliberateLeakIsCaughtSoTheLeakCheckCanFail() throws Exception {
        LEAKS.clear();
        List<ByteBuf> kept = new ArrayList<>();
        DatagramHandler leaky = (content, sender, out) -> kept.add(content);
        try (MediaSocket socket = MediaSocket.open(new InetSocketAddress(LOOPBACK, 0),
                MediaSocket.Settings.defaults().withTransport("nio"), leaky);
             DatagramChannel sender = DatagramChannel.open()) {
            for (int i = 0; i < 20; i++) {
                sender.send(ByteBuffer.wrap(new byte[100]), socket.localAddress());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> kept.size() == 20);
        }
        kept.clear(); // dropped without release: garbage with a leak record
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            collectLeaks();
            return !LEAKS.isEmpty();
        });
    }

    @Test
    void aHandlerThatThrowsDoesNotStopThePort() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        DatagramHandler picky = (content, sender, out) -> {
            try {
                if (content.getByte(0) == 0) {
                    throw new IllegalArgumentException("garbage");
                }
                handled.incrementAndGet();
            } finally {
                content.release();
            }
        };
        try (MediaSocket socket = MediaSocket.open(new InetSocketAddress(LOOPBACK, 0),
                MediaSocket.Settings.defaults(), picky);
             DatagramChannel sender = DatagramChannel.open()) {
            sender.send(ByteBuffer.wrap(new byte[] {0, 1}), socket.localAddress());
            sender.send(ByteBuffer.wrap(new byte[] {1, 1}), socket.localAddress());
            await().atMost(Duration.ofSeconds(5)).until(() -> handled.get() == 1);
        }
    }

    @Test
    void sendNowReachesTheRecipientFromAnyThread() throws Exception {
        try (MediaSocket socket = MediaSocket.open(new InetSocketAddress(LOOPBACK, 0), MediaSocket.Settings.defaults(),
                (content, sender, out) -> content.release());
             DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            receiver.socket().setSoTimeout(5_000);
            ByteBuf msg = socket.alloc().directBuffer().writeInt(42);
            socket.sendNow(msg, (InetSocketAddress) receiver.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(16);
            try {
                receiver.socket().getChannel().configureBlocking(true);
                receiver.receive(in);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("nothing arrived", e);
            }
            in.flip();
            assertEquals(42, in.getInt());
        }
    }

    @Test
    void anUnknownTransportSettingIsRefusedNamingTheChoices() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IoTransport.choose("dpdk")).getMessage()
                .contains("auto, epoll or nio"));
    }

    private static void assertNoLeaks() {
        collectLeaks();
        assertEquals(List.of(), LEAKS, "leaked buffers");
    }

    /** Leaks are reported when a collected, unreleased buffer's record is found by a later allocation. */
    private static void collectLeaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 200; i++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
            }
        }
    }
}
