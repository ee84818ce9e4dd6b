package io.livedesk.media.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's media port on Netty. On epoll, {@code ioThreads} sockets share the port (SO_REUSEPORT): the
 * kernel hashes each remote address to one of them, so an endpoint's packets are always read, and its
 * forwarding done, on one thread. Each socket reads up to {@link Settings#batch} datagrams per syscall
 * (recvmmsg) and every send made while handling them leaves in one flush at the end of the pass (sendmmsg
 * when several are queued). While datagrams come often, each thread lets them gather for {@link Settings#coalesce}
 * before a pass ({@link CoalescingSelectStrategy}), so that a pass, and a wake-up, carries several. On NIO one
 * socket and one thread.
 *
 * <p>Buffers are pooled and direct; a received datagram's buffer belongs to the handler (see
 * {@link DatagramHandler}).
 */
public final class MediaSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaSocket.class);

    /**
     * @param transport  {@code auto}, {@code epoll} or {@code nio}
     * @param ioThreads  sockets and threads on the port (epoll); NIO uses one
     * @param batch      datagrams read per syscall at most (epoll's recvmmsg)
     * @param maxDatagram the largest datagram taken (longer ones are cut by the kernel and dropped here)
     * @param coalesce   while datagrams keep coming, how long each I/O thread lets them gather before a read
     *                   pass ({@link CoalescingSelectStrategy}); zero: a pass per wake-up, as Netty does
     */
    public record Settings(String transport, int ioThreads, int batch, int maxDatagram, int socketBufferBytes,
                           Duration coalesce) {
        public Settings {
            Objects.requireNonNull(transport, "transport");
            if (ioThreads < 1 || batch < 1 || maxDatagram < 64 || socketBufferBytes < 0 || coalesce == null
                    || coalesce.isNegative() || coalesce.compareTo(MAX_COALESCE) > 0) {
                throw new IllegalArgumentException("bad media socket settings");
            }
        }

        /** Coalescing is for rates, not buffering: longer than this only adds latency. */
        public static final Duration MAX_COALESCE = Duration.ofMillis(5);
        /**
         * 200 us: at 1:1 call rates a fifth to a third less bridge CPU per packet than waking for each datagram
         * (issue 12's measurements, docs/benchmarks.md), for 0.3 ms more median latency; longer intervals gained
         * little more and lengthened the tail.
         */
        public static final Duration DEFAULT_COALESCE = Duration.ofNanos(200_000);

        /** {@link #defaultIoThreads()} threads, 32 datagrams per receive call, {@link #DEFAULT_COALESCE}. */
        public static Settings defaults() {
            return new Settings("auto", defaultIoThreads(), 32, 1500, 4 * 1024 * 1024, DEFAULT_COALESCE);
        }

        /**
         * A quarter of the cores, at least one: a thread fans out the packets of the senders whose datagrams it
         * reads, and fewer threads mean more datagrams per wake-up; the rest of the machine does DTLS, RTCP,
         * signaling and GC.
         */
        public static int defaultIoThreads() {
            return Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
        }

        public Settings withIoThreads(int n) {
            return new Settings(transport, n, batch, maxDatagram, socketBufferBytes, coalesce);
        }

        public Settings withTransport(String t) {
            return new Settings(t, ioThreads, batch, maxDatagram, socketBufferBytes, coalesce);
        }

        public Settings withCoalesce(Duration d) {
            return new Settings(transport, ioThreads, batch, maxDatagram, socketBufferBytes, d);
        }
    }

    private final IoTransport transport;
    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final InetSocketAddress local;

    private MediaSocket(IoTransport transport, EventLoopGroup group, List<Channel> channels) {
        this.transport = transport;
        this.group = group;
        this.channels = List.copyOf(channels);
        this.local = (InetSocketAddress) channels.get(0).localAddress();
    }

    /** Binds the port (0: any free one) and starts reading. */
    public static MediaSocket open(InetSocketAddress bind, Settings settings, DatagramHandler handler)
            throws InterruptedException {
        IoTransport transport = IoTransport.choose(settings.transport());
        int sockets = transport == IoTransport.EPOLL ? settings.ioThreads() : 1;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(sockets,
                new DefaultThreadFactory("ld-media-io", true),
                transport.ioHandlerFactory(CoalescingSelectStrategy.factory(settings.coalesce().toNanos())));
        List<Channel> channels = new ArrayList<>();
        try {
            InetSocketAddress at = bind;
            for (int i = 0; i < sockets; i++) {
                Bootstrap b = new Bootstrap().group(group).channel(transport.datagramChannel())
                        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                        .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes())
                        .option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes())
                        .handler(new Reader(handler));
                if (transport == IoTransport.EPOLL) {
                    b.option(EpollChannelOption.SO_REUSEPORT, sockets > 1)
                            .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, settings.maxDatagram())
                            .option(ChannelOption.RCVBUF_ALLOCATOR,
                                    new FixedRecvByteBufAllocator(settings.maxDatagram() * settings.batch()));
                } else {
                    b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(settings.maxDatagram()));
                }
                Channel ch = b.bind(at).sync().channel();
                channels.add(ch);
                at = (InetSocketAddress) ch.localAddress(); // the others join the port the first one got
            }
        } catch (InterruptedException | RuntimeException e) {
            channels.forEach(Channel::close);
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        MediaSocket socket = new MediaSocket(transport, group, channels);
        log.info("media port udp {} on {} ({} socket(s), reading up to {} datagrams per call, coalescing {} us)",
                socket.local, transport.wire(), sockets, transport == IoTransport.EPOLL ? settings.batch() : 1,
                settings.coalesce().toNanos() / 1000);
        return socket;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    public IoTransport transport() {
        return transport;
    }

    public int sockets() {
        return channels.size();
    }

    /**
     * Sends from any thread (timers, the housekeeper): on the socket's own thread, flushed at once. Takes
     * ownership of {@code content}. The I/O thread's own sends go through the handler's {@link Outbox}.
     */
    public void sendNow(ByteBuf content, InetSocketAddress recipient) {
        channels.get(0).writeAndFlush(new DatagramPacket(content, recipient), channels.get(0).voidPromise());
    }

    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().awaitUninterruptibly(Duration.ofSeconds(2).toMillis());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One socket's reads: each datagram to the handler; the pass's sends flushed once at its end. */
    private static final class Reader extends SimpleChannelInboundHandler<DatagramPacket> implements Outbox {
        private final DatagramHandler handler;
        private ChannelHandlerContext ctx;
        private boolean pending;

        Reader(DatagramHandler handler) {
            super(false); // the handler owns each datagram's content
            this.handler = handler;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            try {
                handler.onDatagram(packet.content(), packet.sender(), this);
            } catch (RuntimeException e) {
                // One bad datagram must not stop the port: log it and go on with the next.
                log.warn("a datagram from {} could not be handled: {}", packet.sender(), e.toString());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            try {
                handler.onReadComplete(this);
            } finally {
                if (pending) {
                    pending = false;
                    ctx.flush();
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable and the like arrive here on some kernels: the port goes on.
            log.debug("media port: {}", cause.toString());
        }

        @Override
        public void send(ByteBuf content, InetSocketAddress recipient) {
            pending = true;
            ctx.write(new DatagramPacket(content, recipient), ctx.voidPromise());
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }
    }
}
