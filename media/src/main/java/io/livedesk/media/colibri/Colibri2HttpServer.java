package io.livedesk.media.colibri;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.SpeechTaps;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves a {@link Bridge} over the Colibri2 REST interface of Jitsi Videobridge:
 * {@code POST /colibri/v2/conferences/} (create), {@code PATCH /colibri/v2/conferences/{meeting-id}},
 * {@code GET /colibri/v2/conferences} (501), {@code GET /about/health}, {@code GET /about/version},
 * {@code GET /colibri/stats}, {@code GET /colibri/drain} and {@code POST /colibri/drain/enable|disable}, and
 * LiveDesk's {@code GET /livedesk/conferences/{meeting-id}/stats}, {@code POST /livedesk/media-status} and, with
 * {@link SpeechTaps}, {@code POST /livedesk/taps}, {@code DELETE /livedesk/taps/{id}} and
 * {@code POST /livedesk/tap-events}, plus any
 * plain-text GET routes added with {@link #addTextRoute} (a bridge node's {@code /metrics}).
 * Errors carry {@code {"error":"…"}} (Jitsi's carry nothing). Netty does the HTTP on its own small event loops; every
 * bridge call runs on a bounded worker pool because it may block, and a full pool answers 503 rather
 * than queueing without limit. Replies on one connection go out in request order.
 *
 * <p>The bridge is the caller's: {@link #close()} stops serving but does not close it.
 */
public final class Colibri2HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Colibri2HttpServer.class);
    /** Requests a client may pipeline on one connection before it is cut off. */
    private static final int MAX_PIPELINED = 16;

    /**
     * @param host            address to bind; a bridge's Colibri2 port is private, so loopback by default
     * @param port            0 for any free port
     * @param maxRequestBytes larger bodies get 413
     * @param idleTimeout     idle keep-alive connections are closed after this
     * @param version         reported by {@code /about/version} and {@code /colibri/stats}
     */
    public record Options(String host, int port, int ioThreads, int workerThreads, int workerQueue,
                          int maxRequestBytes, Duration idleTimeout, String version) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(version, "version");
            if (port < 0 || port > 65535 || ioThreads < 1 || workerThreads < 1 || workerQueue < 1
                    || maxRequestBytes < 1 || maxRequestBytes > Colibri2Documents.MAX_DOCUMENT_BYTES) {
                throw new IllegalArgumentException("invalid Colibri2 server options: " + port + "/" + ioThreads
                        + "/" + workerThreads + "/" + workerQueue + "/" + maxRequestBytes);
            }
        }

        public static Options defaults() {
            return new Options("127.0.0.1", 8080, 2, 8, 256, 256 * 1024, Duration.ofSeconds(60), "0.1.0");
        }

        public Options withHost(String newHost) {
            return new Options(newHost, port, ioThreads, workerThreads, workerQueue, maxRequestBytes, idleTimeout,
                    version);
        }

        public Options withPort(int newPort) {
            return new Options(host, newPort, ioThreads, workerThreads, workerQueue, maxRequestBytes, idleTimeout,
                    version);
        }

        public Options withWorkers(int threads, int queue) {
            return new Options(host, port, ioThreads, threads, queue, maxRequestBytes, idleTimeout, version);
        }

        public Options withMaxRequestBytes(int bytes) {
            return new Options(host, port, ioThreads, workerThreads, workerQueue, bytes, idleTimeout, version);
        }
    }

    /** Prometheus' text exposition format, for {@link #addTextRoute} bodies such as {@code /metrics}. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Options options;
    private final Colibri2Routes routes;
    /** Extra GET routes outside Colibri2 (e.g. {@code /metrics}): path → content type and body. */
    private final Map<String, TextRoute> textRoutes = new ConcurrentHashMap<>();
    private final Colibri2BridgeCodec codec = new Colibri2BridgeCodec();
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private ThreadPoolExecutor workers;
    private Channel serverChannel;

    public Colibri2HttpServer(Bridge bridge, Options options) {
        this(bridge, options, null);
    }

    /**
     * @param taps the bridge's speech taps, served at {@code /livedesk/taps} and {@code /livedesk/tap-events}; null:
     *             those resources do not exist here (404, as on a Jitsi Videobridge)
     */
    public Colibri2HttpServer(Bridge bridge, Options options, SpeechTaps taps) {
        this.options = Objects.requireNonNull(options, "options");
        this.routes = new Colibri2Routes(Objects.requireNonNull(bridge, "bridge"), codec, options.version(), taps);
    }

    /** An extra GET route: its body is produced on a worker thread on every request. */
    private record TextRoute(String contentType, Supplier<String> body) {
    }

    /**
     * Serves {@code GET path} with the supplier's text (e.g. {@code /metrics} in Prometheus format).
     * Call before {@link #start()}; other methods on the path answer 405.
     */
    public Colibri2HttpServer addTextRoute(String path, String contentType, Supplier<String> body) {
        textRoutes.put(Objects.requireNonNull(path, "path"),
                new TextRoute(Objects.requireNonNull(contentType, "contentType"), Objects.requireNonNull(body, "body")));
        return this;
    }

    /** Binds and starts serving; returns the bound address (useful with port 0). */
    public synchronized InetSocketAddress start() {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("colibri2-accept"),
                NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("colibri2-io"),
                NioIoHandler.newFactory());
        workers = new ThreadPoolExecutor(options.workerThreads(), options.workerThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.workerQueue()), new DefaultThreadFactory("colibri2-worker"),
                new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        try {
            serverChannel = new ServerBootstrap()
                    .group(acceptGroup, ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new IdleStateHandler(0, 0, options.idleTimeout().toMillis(),
                                            TimeUnit.MILLISECONDS))
                                    .addLast(new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(4096)
                                            .setMaxHeaderSize(8192)))
                                    .addLast(new HttpObjectAggregator(options.maxRequestBytes()))
                                    .addLast(new RequestHandler());
                        }
                    })
                    .bind(options.host(), options.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            shutdown();
            throw e;
        }
        InetSocketAddress address = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("Colibri2 REST interface on {}", address);
        return address;
    }

    /** The bound address, or null before {@link #start()}. */
    public synchronized InetSocketAddress address() {
        return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting, lets running bridge calls finish (briefly), closes every connection. */
    @Override
    public synchronized void close() {
        shutdown();
    }

    private void shutdown() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
            workers = null;
        }
        for (EventLoopGroup group : new EventLoopGroup[] {ioGroup, acceptGroup}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        ioGroup = null;
        acceptGroup = null;
    }

    /** What the event loop keeps of a request so that the worker never touches Netty buffers. */
    private record Pending(String method, String path, String contentType, byte[] body, boolean keepAlive) {
    }

    /**
     * One per connection. Hands each request to the workers and writes the reply back on the event loop;
     * while one request is in flight, later (pipelined) ones wait so replies keep their order.
     */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Queue<Pending> waiting = new ArrayDeque<>();
        private boolean busy;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                write(ctx, Colibri2Routes.Reply.json(400, codec.writeError("malformed HTTP request")), null, false);
                return;
            }
            String uri = request.uri();
            int query = uri.indexOf('?');
            Pending pending = new Pending(request.method().name(), query < 0 ? uri : uri.substring(0, query),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(request.content()),
                    HttpUtil.isKeepAlive(request));
            if (busy) {
                if (waiting.size() >= MAX_PIPELINED) {
                    ctx.close();
                    return;
                }
                waiting.add(pending);
                return;
            }
            dispatch(ctx, pending);
        }

        private void dispatch(ChannelHandlerContext ctx, Pending pending) {
            busy = true;
            try {
                workers.execute(() -> {
                    TextRoute text = textRoutes.get(pending.path());
                    Colibri2Routes.Reply reply = text != null
                            ? text(text, pending.method())
                            : routes.handle(pending.method(), pending.path(), pending.contentType(), pending.body());
                    String type = text != null && reply.status() == 200 ? text.contentType() : null;
                    try {
                        ctx.executor().execute(() -> done(ctx, reply, type, pending.keepAlive()));
                    } catch (RejectedExecutionException closing) {
                        // The event loop is shutting down with the server: the connection goes with it.
                    }
                });
            } catch (RejectedExecutionException e) {
                done(ctx, Colibri2Routes.Reply.json(503, codec.writeError("bridge busy; retry later")), null,
                        pending.keepAlive());
            }
        }

        private Colibri2Routes.Reply text(TextRoute route, String method) {
            if (!method.equals("GET")) {
                return new Colibri2Routes.Reply(405, codec.writeError("method not allowed; use GET"), "GET");
            }
            try {
                return Colibri2Routes.Reply.json(200, route.body().get().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.error("GET text route failed", e);
                return Colibri2Routes.Reply.json(500, codec.writeError("internal error"));
            }
        }

        /** @param contentType of a non-JSON body, or null for JSON */
        private void done(ChannelHandlerContext ctx, Colibri2Routes.Reply reply, String contentType,
                          boolean keepAlive) {
            busy = false;
            write(ctx, reply, contentType, keepAlive);
            Pending next = waiting.poll();
            if (next != null && ctx.channel().isActive()) {
                dispatch(ctx, next);
            }
        }

        private void write(ChannelHandlerContext ctx, Colibri2Routes.Reply reply, String contentType,
                           boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
            if (reply.body().length > 0) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE,
                        contentType != null ? contentType : HttpHeaderValues.APPLICATION_JSON);
            }
            if (reply.allow() != null) {
                response.headers().set(HttpHeaderNames.ALLOW, reply.allow());
            }
            if (reply.status() == 503) {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            }
            HttpUtil.setContentLength(response, reply.body().length);
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent && !busy) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Colibri2 connection {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
