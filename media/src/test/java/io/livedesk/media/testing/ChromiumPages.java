package io.livedesk.media.testing;

import com.sun.net.httpserver.HttpServer;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the media module's browser tests share besides the testkit's Chromium: a loopback page
 * server, and the waits on media stats and on threads going away.
 */
public final class ChromiumPages {
    private ChromiumPages() {
    }

    /** Serves one HTML page at every path, on a free loopback port. */
    public static HttpServer servePage(String html) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = html.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        server.start();
        return server;
    }

    public static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public static long number(Map<String, Object> stats, String key) {
        Object value = stats.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** Polls a page's stats until video frames were decoded and audio packets received. */
    public static Map<String, Object> awaitMedia(Supplier<Map<String, Object>> stats, Duration deadline, String what) {
        Map<String, Object>[] last = new Map[]{Map.of()};
        try {
            return await().atMost(deadline).pollInterval(Duration.ofMillis(20))
                    .until(() -> last[0] = stats.get(),
                            s -> number(s, "framesDecoded") > 0 && number(s, "audioPacketsReceived") > 0);
        } catch (ConditionTimeoutException e) {
            return fail(what + ": no media within " + deadline + ": " + last[0]);
        }
    }

    /** Waits until no live thread's name contains {@code namePart}. */
    public static void assertNoThreadsLeft(String namePart) {
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> threadsNamed(namePart).isEmpty());
        } catch (ConditionTimeoutException e) {
            fail("threads left: " + threadsNamed(namePart));
        }
    }

    private static Set<String> threadsNamed(String namePart) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.contains(namePart)).collect(Collectors.toSet());
    }
}
