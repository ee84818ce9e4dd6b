package io.livedesk.signaling.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginGuardTest {

    private static FullHttpRequest upgrade(String origin) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        req.headers().set(HttpHeaderNames.HOST, "livedesk.bank.example");
        req.headers().set(HttpHeaderNames.ORIGIN, origin);
        return req;
    }

    @Test
    void aConfiguredOriginAndTheServersOwnPassAndOthersAreRefusedWithTheirOriginAndTheSettingLogged() {
        EmbeddedChannel ch = new EmbeddedChannel(new OriginGuard("/ws", List.of("https://www.bank.example")));
        Logger logger = (Logger) LoggerFactory.getLogger(OriginGuard.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(logged);
        try {
            FullHttpRequest allowed = upgrade("https://www.bank.example");
            ch.writeInbound(allowed);
            assertSame(allowed, ch.readInbound());
            allowed.release();
            FullHttpRequest own = upgrade("https://livedesk.bank.example");
            ch.writeInbound(own);
            assertSame(own, ch.readInbound());
            own.release();

            ch.writeInbound(upgrade("https://shop.example"));
            assertNull(ch.readInbound());
            FullHttpResponse resp = ch.readOutbound();
            assertEquals(HttpResponseStatus.FORBIDDEN, resp.status());
            resp.release();
            assertEquals(1, logged.list.size());
            String line = logged.list.get(0).getFormattedMessage();
            assertTrue(line.contains("\"https://shop.example\""), line);
            assertTrue(line.contains("websocket.allowed-origins") && line.contains("LIVEDESK_ALLOWED_ORIGINS"), line);
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void theLoggedOriginHasNoControlCharactersAndIsCapped() {
        assertEquals("https://shop.example", OriginGuard.forLog("https://shop.example"));
        String forged = OriginGuard.forLog("https://a.example\r\n12:00:00.000 INFO forged\u0000\u001b[31m\u2028\u202e");
        assertEquals("https://a.example12:00:00.000 INFO forged[31m", forged);

        String longOrigin = "https://" + "a".repeat(5000) + ".example";
        String capped = OriginGuard.forLog(longOrigin);
        assertEquals(OriginGuard.MAX_LOGGED_ORIGIN + "...".length(), capped.length());
        assertTrue(capped.startsWith("https://aaa") && capped.endsWith("..."));
        assertFalse(OriginGuard.forLog("x".repeat(OriginGuard.MAX_LOGGED_ORIGIN)).endsWith("..."));
    }
}
