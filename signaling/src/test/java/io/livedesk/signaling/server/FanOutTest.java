package io.livedesk.signaling.server;

import io.livedesk.signaling.protocol.MessageCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FanOutTest {
    private static ClientConnection connection(EmbeddedChannel ch) {
        return new ClientConnection("c", ch, new MessageCodec(), Runnable::run, new TokenBucket(10, 10, 0), new HashSet<>());
    }

    private static TextWebSocketFrame frame(String text) {
        return new TextWebSocketFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static String text(EmbeddedChannel ch) {
        TextWebSocketFrame f = ch.readOutbound();
        try {
            return f.text();
        } finally {
            f.release();
        }
    }

    @Test
    void everyConnectionGetsTheSharedFramesInOrderOnItsOwnLoopAndTheBuffersAreFreedAfterwards() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        TextWebSocketFrame chat = frame("{\"type\":\"chat.batch\"}");
        TextWebSocketFrame stats = frame("{\"type\":\"broadcast.stats\"}");
        FanOut out = new FanOut();
        out.add(connection(a), List.of(chat, stats));
        out.add(connection(b), List.of(stats));
        chat.release();
        stats.release();
        out.send();

        assertNull(a.readOutbound(), "nothing is written outside the event loop");
        a.runPendingTasks();
        b.runPendingTasks();
        assertEquals("{\"type\":\"chat.batch\"}", text(a));
        assertEquals("{\"type\":\"broadcast.stats\"}", text(a));
        assertNull(a.readOutbound());
        assertEquals("{\"type\":\"broadcast.stats\"}", text(b));
        assertEquals(0, chat.refCnt());
        assertEquals(0, stats.refCnt());
    }

    @Test
    void aConnectionsFramesLeaveInOneFlush() {
        AtomicInteger flushes = new AtomicInteger();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        TextWebSocketFrame one = frame("1");
        TextWebSocketFrame two = frame("2");
        FanOut out = new FanOut();
        out.add(connection(ch), List.of(one, two));
        one.release();
        two.release();
        out.send();
        ch.runPendingTasks();
        assertEquals(1, flushes.get());
        assertEquals("1", text(ch));
        assertEquals("2", text(ch));
    }

    @Test
    void aConnectionClosedBeforeItsTurnGetsNothingAndHoldsNoBuffer() {
        EmbeddedChannel open = new EmbeddedChannel();
        EmbeddedChannel closing = new EmbeddedChannel();
        TextWebSocketFrame shared = frame("{\"type\":\"chat.batch\"}");
        FanOut out = new FanOut();
        out.add(connection(open), List.of(shared));
        out.add(connection(closing), List.of(shared));
        shared.release();
        out.send();
        closing.unsafe().closeForcibly(); // unlike close(), does not run the queued tasks first
        open.runPendingTasks();
        closing.runPendingTasks();

        assertEquals("{\"type\":\"chat.batch\"}", text(open));
        assertNull(closing.readOutbound());
        assertEquals(0, shared.refCnt());
    }

    @Test
    void aClosedConnectionIsSkippedAndNothingIsHeld() {
        EmbeddedChannel closed = new EmbeddedChannel();
        closed.close();
        TextWebSocketFrame shared = frame("{}");
        FanOut out = new FanOut();
        out.add(connection(closed), List.of(shared));
        out.send();
        assertEquals(1, shared.refCnt());
        shared.release();
    }
}
