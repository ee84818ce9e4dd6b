package io.livedesk.signaling.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Refuses WebSocket upgrades from pages of other sites unless their origin is configured
 * ({@code websocket.allowed-origins}), so another site cannot drive a signed-in console.
 * Requests without an Origin (non-browser clients) carry their own token and are let through.
 */
@ChannelHandler.Sharable
public final class OriginGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OriginGuard.class);
    /** Longest origin written to the log; a real one is far shorter. */
    static final int MAX_LOGGED_ORIGIN = 200;

    private final String wsPath;
    private final List<String> allowed;

    public OriginGuard(String wsPath, List<String> allowed) {
        this.wsPath = wsPath;
        this.allowed = allowed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest req && req.uri().startsWith(wsPath)) {
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            String host = req.headers().get(HttpHeaderNames.HOST);
            if (origin != null && !permitted(origin, host)) {
                // The operator embedding the widget on a new site needs to see which origin to add.
                log.info("refused a WebSocket from a page of origin \"{}\": add it to websocket.allowed-origins"
                        + " (LIVEDESK_ALLOWED_ORIGINS) to allow it", forLog(origin));
                ReferenceCountUtil.release(req);
                var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
                        Unpooled.copiedBuffer("{\"code\":\"forbidden\",\"message\":\"origin not allowed\"}", StandardCharsets.UTF_8));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
                ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The Origin header as it may go into a log line: any page can send any value, so control characters
     * (which could forge or break log lines) are dropped and the length is capped.
     */
    static String forLog(String origin) {
        StringBuilder b = new StringBuilder();
        int kept = 0;
        for (int i = 0; i < origin.length(); ) {
            int cp = origin.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                continue;
            }
            if (kept == MAX_LOGGED_ORIGIN) {
                return b.append("...").toString();
            }
            b.appendCodePoint(cp);
            kept++;
        }
        return b.toString();
    }

    boolean permitted(String origin, String host) {
        if (allowed.contains("*") || allowed.contains(origin)) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            String originHost = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
