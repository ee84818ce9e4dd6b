package io.livedesk.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.auth.TokenService;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.ws.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One node with in-process stores, real sockets. Hostile connections send a few thousand malformed or
 * abusive frames while, on the same server, a customer and a staff member complete a whole call. Every
 * hostile frame must be answered with the error the protocol promises (and nothing else), and the
 * server must stay up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProtocolRobustnessIT {

    private static final Duration T = Duration.ofSeconds(10);
    private static final int GARBAGE_CONNECTIONS = 36;
    /** Below the per-connection burst (100), so no garbage frame is rate limited. */
    private static final int FRAMES_PER_GARBAGE_CONNECTION = 85;
    private static final String SDP_OFFER = "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n";
    private static final String SDP_ANSWER = SDP_OFFER.replace("46117", "52340");
    private static final String CANDIDATE = "candidate:1 1 udp 2122260223 127.0.0.1 50216 typ host";

    private static TestNode node;

    @BeforeAll
    static void startNode() {
        // Its well-behaved call relays SDP peer-to-peer (the bridge answers only real offers).
        node = TestNode.start(Map.of("livedesk.calls.media", "p2p"));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void hostileTrafficIsAnsweredWithErrorsWhileAWellBehavedCallCompletes() throws Exception {
        assertHealthy();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> hostile = new ArrayList<>();
            for (int i = 0; i < GARBAGE_CONNECTIONS; i++) {
                int seed = i;
                hostile.add(pool.submit(() -> garbage(seed)));
            }
            for (Callable<Integer> script : List.<Callable<Integer>>of(this::messagesNearAndOverTheSizeLimit,
                    this::frameOverTheFrameLimitClosesWith1009, this::messagesBeforeHelloAndBadTokens,
                    this::messagesOfTheWrongRole, this::messagesInTheWrongState, this::rateLimitBurst,
                    this::secondConnectionOfTheSameSubjectReplacesTheFirst)) {
                hostile.add(pool.submit(script));
            }

            wellBehavedCustomerAndStaffCompleteACall();
            assertHealthy();

            int frames = 0;
            for (Future<Integer> f : hostile) {
                frames += f.get(90, TimeUnit.SECONDS);
            }
            assertTrue(frames >= 3000, "hostile frames sent: " + frames);
        } finally {
            pool.shutdownNow();
        }
        assertHealthy();
    }

    @Test
    void aConnectionThatNeverSaysHelloIsClosed() {
        try (TestNode quick = TestNode.start(Map.of("livedesk.websocket.hello-timeout", "300ms"));
             WsClient silent = quick.connect()) {
            JsonNode error = silent.awaitType("error", T);
            assertEquals("unauthenticated", error.path("code").asText());
            assertFalse(error.has("id"));
            assertEquals(4401, silent.awaitClose(T));
        }
    }

    /**
     * The JDK client splits big messages into fragments (the aggregator's limit applies); this sends one
     * frame whose header alone declares more than the frame limit (the decoder's limit applies).
     */
    @Test
    void aSingleFrameOverTheFrameLimitClosesWith1009() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            socket.setSoTimeout((int) T.toMillis());
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder response = new StringBuilder();
            while (!response.toString().endsWith("\r\n\r\n")) {
                response.append((char) in.readUnsignedByte());
            }
            assertTrue(response.toString().startsWith("HTTP/1.1 101"), response.toString());

            long declared = node.node().config().websocket().maxFrameBytes() + 1L;
            ByteBuffer header = ByteBuffer.allocate(14).put((byte) 0x81).put((byte) (0x80 | 127)).putLong(declared).putInt(0);
            out.write(header.array());
            out.write(new byte[4096]);
            out.flush();

            assertEquals(0x88, in.readUnsignedByte(), "a close frame");
            int length = in.readUnsignedByte();
            assertTrue(length >= 2 && length < 126);
            assertEquals(1009, in.readUnsignedShort());
        }
    }

    // ---- the well-behaved pair ----

    private void wellBehavedCustomerAndStaffCompleteACall() {
        String staffToken = node.staffToken("good-staff", "Zhang Min", List.of("accounts"), List.of("en", "zh"), 1);
        try (WsClient staff = node.signIn(staffToken);
             WsClient customer = node.signIn(node.customerToken("good-customer", "Li Wei"))) {
            JsonNode presence = staff.requestOk(Map.of("type", "presence.set", "status", "available"));
            assertEquals("presence", presence.path("type").asText());
            assertEquals("available", presence.path("status").asText());
            assertEquals(1, presence.path("capacity").asInt());

            JsonNode queued = customer.requestOk(Map.of("type", "request.create", "topic", "accounts", "language", "en",
                    "context", Map.of("page", "/cards/lost")));
            assertEquals("request.queued", queued.path("type").asText());
            String callId = queued.path("requestId").asText();

            JsonNode offer = staff.awaitType("offer", T);
            assertEquals(callId, offer.path("requestId").asText());
            assertEquals("Li Wei", offer.path("customer").path("name").asText());
            assertEquals("/cards/lost", offer.path("context").path("page").asText());

            JsonNode staffStarted = staff.requestOk(Map.of("type", "offer.accept", "requestId", callId));
            assertEquals("call.started", staffStarted.path("type").asText());
            assertEquals(callId, staffStarted.path("callId").asText());
            assertTrue(staffStarted.path("initiator").asBoolean());
            assertEquals("customer", staffStarted.path("peer").path("role").asText());
            JsonNode customerStarted = customer.awaitType("call.started", T);
            assertEquals(callId, customerStarted.path("callId").asText());
            assertFalse(customerStarted.path("initiator").asBoolean());
            assertEquals("Zhang Min", customerStarted.path("peer").path("name").asText());

            assertEquals("ack", staff.requestOk(signal(callId, "sdp", Map.of("type", "offer", "sdp", SDP_OFFER))).path("type").asText());
            JsonNode relayedOffer = customer.awaitType("call.signal", T);
            assertEquals("staff", relayedOffer.path("from").asText());
            assertEquals("offer", relayedOffer.path("sdp").path("type").asText());
            assertEquals(SDP_OFFER, relayedOffer.path("sdp").path("sdp").asText());
            assertFalse(relayedOffer.has("id"));

            assertEquals("ack", customer.requestOk(signal(callId, "sdp", Map.of("type", "answer", "sdp", SDP_ANSWER))).path("type").asText());
            JsonNode relayedAnswer = staff.awaitType("call.signal", T);
            assertEquals("customer", relayedAnswer.path("from").asText());
            assertEquals(SDP_ANSWER, relayedAnswer.path("sdp").path("sdp").asText());

            staff.requestOk(signal(callId, "candidate", Map.of("candidate", CANDIDATE, "sdpMid", "0", "sdpMLineIndex", 0)));
            JsonNode relayedCandidate = customer.awaitType("call.signal", T);
            assertEquals(CANDIDATE, relayedCandidate.path("candidate").path("candidate").asText());
            assertEquals(0, relayedCandidate.path("candidate").path("sdpMLineIndex").asInt());

            JsonNode ended = customer.requestOk(Map.of("type", "call.hangup", "callId", callId));
            assertEquals("call.ended", ended.path("type").asText());
            assertEquals("customer_hangup", ended.path("reason").asText());
            JsonNode staffEnded = staff.awaitType("call.ended", T);
            assertEquals(callId, staffEnded.path("callId").asText());
            assertEquals("customer_hangup", staffEnded.path("reason").asText());
            staff.await(m -> "presence".equals(WsClient.type(m)) && "available".equals(m.path("status").asText())
                    && m.path("load").asInt() == 0, T);

            JsonNode record = node.getJson("/api/calls/" + callId, staffToken);
            assertEquals("ended", record.path("state").asText());
            assertEquals("customer_hangup", record.path("endReason").asText());
            assertEquals("good-customer", record.path("customer").path("id").asText());
            assertEquals("good-staff", record.path("staff").path("id").asText());
            assertTrue(record.hasNonNull("connectedAt"), "the relayed answer made the call active");
            long enqueued = Instant.parse(record.path("enqueuedAt").asText()).toEpochMilli();
            long answered = Instant.parse(record.path("answeredAt").asText()).toEpochMilli();
            long endedAt = Instant.parse(record.path("endedAt").asText()).toEpochMilli();
            assertEquals(answered - enqueued, record.path("waitMs").asLong(), "waitMs");
            assertEquals(endedAt - answered, record.path("talkMs").asLong(), "talkMs");
            assertTrue(record.path("waitMs").asLong() >= 0 && record.path("talkMs").asLong() >= 0);
        }
    }

    private static Map<String, Object> signal(String callId, String field, Map<String, Object> value) {
        return Map.of("type", "call.signal", "callId", callId, field, value);
    }

    // ---- hostile scripts: each returns how many frames it sent ----

    /** Random frames of every malformed kind, on a signed-in customer connection. */
    private int garbage(int seed) {
        Random random = new Random(seed);
        try (WsClient c = node.signIn(node.customerToken("hostile-" + seed, "Hostile " + seed))) {
            Exchange x = new Exchange(c);
            for (int i = 0; i < FRAMES_PER_GARBAGE_CONNECTION; i++) {
                String id = "g" + seed + "-" + i;
                switch (random.nextInt(15)) {
                    case 0 -> x.text(randomText(random), "error:bad_json");
                    case 1 -> {
                        String valid = "{\"type\":\"request.create\",\"id\":\"" + id + "\",\"topic\":\"cards\",\"language\":\"en\","
                                + "\"context\":{\"page\":\"/x\"}}";
                        x.text(valid.substring(0, random.nextInt(valid.length() - 1)), "error:bad_json");
                    }
                    case 2 -> {
                        int depth = 20 + random.nextInt(3000);
                        String open = random.nextBoolean() ? "[" : "{\"a\":";
                        String close = open.equals("[") ? "]" : "}";
                        x.text("{\"type\":\"ping\",\"id\":\"" + id + "\",\"n\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}",
                                "error:bad_json");
                    }
                    case 3 -> x.text("{\"type\":\"ping\",\"id\":\"" + id + "\",\"n\":" + "[".repeat(8) + "]".repeat(8) + "}",
                            "error:bad_message#" + id);
                    case 4 -> x.text("{\"type\":\"" + randomWord(random) + ".x\",\"id\":\"" + id + "\"}", "error:unknown_type#" + id);
                    case 5 -> {
                        byte[] bytes = new byte[random.nextInt(2000)];
                        random.nextBytes(bytes);
                        x.binary(bytes, "error:binary_not_supported");
                    }
                    case 6 -> x.text("{\"type\":\"request.create\",\"id\":\"" + id + "\",\"topic\":\"cards\",\"language\":\"en\","
                            + "\"priority\":" + List.of("\"3\"", "3.5", "true", "[3]", "{}").get(random.nextInt(5)) + "}", "error:bad_message#" + id);
                    case 7 -> x.text(List.of("[]", "[{\"type\":\"ping\",\"id\":\"x\"}]", "42", "\"ping\"", "null", "true")
                            .get(random.nextInt(6)), "error:bad_json");
                    case 8 -> x.text("{\"type\":\"ping\",\"id\":\"" + List.of("a b", "", "<x>", "i".repeat(65), "ä")
                            .get(random.nextInt(5)) + "\"}", "error:bad_message");
                    case 9 -> x.text("{\"type\":\"ping\",\"id\":\"" + id + "\"}", "pong#" + id);
                    case 10 -> x.text("{\"id\":\"" + id + "\",\"topic\":\"cards\"}", "error:bad_message#" + id);
                    case 11 -> x.text("{\"type\":\"request.cancel\",\"id\":\"" + id + "\",\"requestId\":\"r-1\",\"why\":1}",
                            "error:bad_message#" + id);
                    case 12 -> x.text("{\"type\":\"call.signal\",\"id\":\"" + id + "\",\"callId\":\"r-1\",\"sdp\":{\"type\":\"offer\","
                            + "\"sdp\":\"<html>not sdp\"}}", "error:bad_message#" + id);
                    case 13 -> x.text("{\"type\":\"call.signal\",\"id\":\"" + id + "\",\"callId\":\"r-1\",\"sdp\":{\"type\":\"offer\","
                            + "\"sdp\":\"v=0\"},\"candidate\":{\"candidate\":\"" + CANDIDATE + "\"}}", "error:bad_message#" + id);
                    default -> {
                        StringBuilder context = new StringBuilder("{");
                        for (int k = 0; k < 21; k++) {
                            context.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":\"v\"");
                        }
                        x.text("{\"type\":\"request.create\",\"id\":\"" + id + "\",\"topic\":\"cards\",\"language\":\"en\",\"context\":"
                                + context + "}}", "error:bad_message#" + id);
                    }
                }
            }
            return 1 + x.verify();
        }
    }

    /** Messages just under and over 64 KiB, counted in bytes (also with multi-byte text); the connection stays open. */
    private int messagesNearAndOverTheSizeLimit() {
        int limit = node.node().config().websocket().maxMessageBytes();
        try (WsClient c = node.signIn(node.customerToken("hostile-size", "Big"))) {
            Exchange x = new Exchange(c);
            x.text(pingPaddedTo(limit, "s1"), "error:bad_message#s1");
            x.text(pingPaddedTo(limit + 1, "s2"), "error:frame_too_large#s2");
            String underInBytes = requestWithContextValue("s3", "中".repeat(21_000));
            assertTrue(underInBytes.length() < 22_000 && bytes(underInBytes) < limit);
            x.text(underInBytes, "error:bad_message#s3");
            String overInBytes = requestWithContextValue("s4", "中".repeat(22_000));
            assertTrue(overInBytes.length() < limit && bytes(overInBytes) > limit, "over the limit in bytes, not in characters");
            x.text(overInBytes, "error:frame_too_large#s4");
            x.text("{\"type\":\"ping\",\"id\":\"s5\"}", "pong#s5");
            return 1 + x.verify();
        }
    }

    private int frameOverTheFrameLimitClosesWith1009() {
        int frameLimit = node.node().config().websocket().maxFrameBytes();
        try (WsClient c = node.signIn(node.customerToken("hostile-huge", "Huge"))) {
            try {
                c.sendRaw(pingPaddedTo(frameLimit + 1024, "h1"));
            } catch (IllegalStateException closedWhileSending) {
                // the server may close before it has read the whole frame
            }
            assertEquals(1009, c.awaitClose(T));
            assertTrue(c.queued().stream().noneMatch(m -> "pong".equals(WsClient.type(m))));
            return 2;
        }
    }

    private int messagesBeforeHelloAndBadTokens() {
        TokenService otherService = new TokenService("another-secret-0123456789abcdef-xyz".getBytes(StandardCharsets.UTF_8),
                TestNode.ISSUER, Clock.systemUTC());
        TokenService ourServiceYesterday = new TokenService(TestNode.JWT_SECRET.getBytes(StandardCharsets.UTF_8),
                TestNode.ISSUER, Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
        Principal who = new Principal(Subject.of("hostile-tokens"), Role.CUSTOMER, "Mallory", Set.of(), Set.of(), 1, 0);
        String valid = node.customerToken("hostile-tokens", "Mallory");
        String viewer = node.token("viewer", "hostile-viewer", "Vic", List.of(), List.of(), 1);
        try (WsClient c = node.connect()) {
            Exchange x = new Exchange(c);
            x.text("{\"type\":\"ping\",\"id\":\"b1\"}", "error:unauthenticated#b1");
            x.text("{\"type\":\"request.create\",\"id\":\"b2\",\"topic\":\"accounts\",\"language\":\"en\"}", "error:unauthenticated#b2");
            x.text("{\"type\":\"offer.accept\",\"id\":\"b3\",\"requestId\":\"r-1\"}", "error:unauthenticated#b3");
            x.text("{\"type\":\"call.hangup\",\"id\":\"b4\",\"callId\":\"r-1\"}", "error:unauthenticated#b4");
            x.text("not json before hello", "error:bad_json");
            x.text(hello("b5", "not-a-jwt"), "error:invalid_token#b5");
            x.text(hello("b6", otherService.mint(who, Duration.ofHours(1))), "error:invalid_token#b6");
            x.text(hello("b7", ourServiceYesterday.mint(who, Duration.ofHours(1))), "error:invalid_token#b7");
            x.text(hello("b8", valid.substring(0, valid.length() - 3) + "abc"), "error:invalid_token#b8");
            // A viewer signs in (livestreams); whoever signed in first holds the connection.
            x.text(hello("b9", viewer), "welcome#b9");
            x.text(hello("b10", valid), "error:already_authenticated#b10");
            x.text(hello("b11", valid), "error:already_authenticated#b11");
            x.text("{\"type\":\"ping\",\"id\":\"b12\"}", "pong#b12");
            return x.verify();
        }
    }

    private int messagesOfTheWrongRole() {
        int frames = 0;
        try (WsClient customer = node.signIn(node.customerToken("hostile-role-c", "Carl"))) {
            Exchange x = new Exchange(customer);
            x.text("{\"type\":\"offer.accept\",\"id\":\"w1\",\"requestId\":\"r-1\"}", "error:forbidden#w1");
            x.text("{\"type\":\"offer.decline\",\"id\":\"w2\",\"requestId\":\"r-1\"}", "error:forbidden#w2");
            x.text("{\"type\":\"presence.set\",\"id\":\"w3\",\"status\":\"available\"}", "error:forbidden#w3");
            frames += 1 + x.verify();
        }
        // No skills: this member can never be offered the well-behaved customer's request.
        try (WsClient staff = node.signIn(node.staffToken("hostile-role-s", "Sam", List.of(), List.of("en"), 1))) {
            Exchange x = new Exchange(staff);
            x.text("{\"type\":\"request.create\",\"id\":\"w4\",\"topic\":\"accounts\",\"language\":\"en\"}", "error:forbidden#w4");
            x.text("{\"type\":\"request.cancel\",\"id\":\"w5\",\"requestId\":\"r-1\"}", "error:forbidden#w5");
            frames += 1 + x.verify();
        }
        return frames;
    }

    private int messagesInTheWrongState() {
        int frames = 0;
        try (WsClient customer = node.signIn(node.customerToken("hostile-state-c", "Cleo"))) {
            Exchange x = new Exchange(customer);
            x.text("{\"type\":\"call.hangup\",\"id\":\"s1\",\"callId\":\"r-no-such-call\"}", "error:not_found#s1");
            x.text("{\"type\":\"call.signal\",\"id\":\"s2\",\"callId\":\"r-no-such-call\",\"candidate\":{\"candidate\":\"\"}}",
                    "error:not_found#s2");
            x.text("{\"type\":\"request.cancel\",\"id\":\"s3\",\"requestId\":\"r-no-such-request\"}", "error:not_found#s3");
            x.text("{\"type\":\"request.create\",\"id\":\"s4\",\"topic\":\"crypto\",\"language\":\"en\"}", "error:unknown_topic#s4");
            x.text("{\"type\":\"request.create\",\"id\":\"s5\",\"topic\":\"loans\",\"language\":\"fr\"}", "error:unsupported_language#s5");
            x.text("{\"type\":\"request.create\",\"id\":\"s6\",\"topic\":\"loans\",\"language\":\"en\",\"priority\":3}", "error:forbidden#s6");
            frames += 1 + x.verifyInOrder();

            // Nobody serves loans here, so the request stays queued.
            JsonNode queued = customer.requestOk(Map.of("type", "request.create", "topic", "loans", "language", "en"));
            String requestId = queued.path("requestId").asText();
            assertEquals("invalid_state", WsClient.errorCode(customer.request(
                    Map.of("type", "request.create", "topic", "cards", "language", "en"))));
            assertEquals("request.cancelled", customer.requestOk(Map.of("type", "request.cancel", "requestId", requestId))
                    .path("type").asText());
            assertEquals("not_found", WsClient.errorCode(customer.request(Map.of("type", "request.cancel", "requestId", requestId))));
            frames += 4;
        }
        try (WsClient staff = node.signIn(node.staffToken("hostile-state-s", "Stan", List.of(), List.of("en"), 1))) {
            Exchange x = new Exchange(staff);
            x.text("{\"type\":\"offer.accept\",\"id\":\"s7\",\"requestId\":\"r-never-offered\"}", "error:offer_expired#s7");
            x.text("{\"type\":\"offer.decline\",\"id\":\"s8\",\"requestId\":\"r-never-offered\"}", "error:offer_expired#s8");
            x.text("{\"type\":\"call.hangup\",\"id\":\"s9\",\"callId\":\"r-never-offered\"}", "error:not_found#s9");
            frames += 1 + x.verifyInOrder();
        }
        return frames;
    }

    /** 300 pings at once: the first burst is answered, the rest refused, and the connection recovers. */
    private int rateLimitBurst() {
        int pings = 300;
        try (WsClient c = node.signIn(node.customerToken("hostile-burst", "Burst"))) {
            for (int i = 0; i < pings; i++) {
                c.sendRaw("{\"type\":\"ping\",\"id\":\"p" + i + "\"}");
            }
            List<JsonNode> replies = c.awaitMessages(pings, T);
            long pongs = replies.stream().filter(m -> "pong".equals(WsClient.type(m))).count();
            long limited = replies.stream().filter(m -> "rate_limited".equals(WsClient.errorCode(m))).count();
            assertEquals(pings, pongs + limited, "every ping is answered with pong or rate_limited: " + replies);
            assertTrue(pongs >= 99, "the burst (100, less the hello) is let through: " + pongs);
            assertTrue(limited >= 50, "most of the rest is refused: " + limited);
            Set<String> answered = replies.stream().map(m -> m.path("id").asText(null)).collect(Collectors.toSet());
            assertEquals(pings, answered.size(), "each ping's one reply echoes its id, refusals too: " + replies);
            assertTrue(answered.containsAll(IntStream.range(0, pings).mapToObj(i -> "p" + i).toList()), answered.toString());
            await().atMost(T).pollInterval(Duration.ofMillis(100)).until(() -> {
                c.sendRaw("{\"type\":\"ping\",\"id\":\"again\"}");
                return c.next(T).map(m -> "pong".equals(WsClient.type(m))).orElse(false);
            });
            return 1 + pings;
        }
    }

    private int secondConnectionOfTheSameSubjectReplacesTheFirst() {
        String token = node.customerToken("hostile-twice", "Twice");
        try (WsClient first = node.signIn(token); WsClient second = node.signIn(token)) {
            assertEquals("session_replaced", WsClient.errorCode(first.awaitType("error", T)));
            assertEquals(4001, first.awaitClose(T));
            assertEquals("pong", WsClient.type(second.requestOk(Map.of("type", "ping"))));
            return 3;
        }
    }

    // ---- helpers ----

    /** Frames sent on one connection and the reply each must get, as a signature ("error:code#id", "pong#id"). */
    private static final class Exchange {
        private final WsClient client;
        private final List<String> expected = new ArrayList<>();

        Exchange(WsClient client) {
            this.client = client;
        }

        void text(String frame, String reply) {
            client.sendRaw(frame);
            expected.add(reply);
        }

        void binary(byte[] frame, String reply) {
            client.sendBinary(frame);
            expected.add(reply);
        }

        /**
         * Every frame got exactly its reply. Parse errors are answered on the event loop and the rest on a
         * worker, so replies are compared as a multiset; ids tie each reply to its frame.
         */
        int verify() {
            List<String> actual = new ArrayList<>(receive().stream().map(ProtocolRobustnessIT::signature).toList());
            List<String> wanted = new ArrayList<>(expected);
            actual.sort(null);
            wanted.sort(null);
            assertEquals(wanted, actual);
            return expected.size();
        }

        /** Every frame got exactly its reply, in order (all were valid frames, handled one after another). */
        int verifyInOrder() {
            assertEquals(expected, receive().stream().map(ProtocolRobustnessIT::signature).toList());
            return expected.size();
        }

        private List<JsonNode> receive() {
            List<JsonNode> replies = client.awaitMessages(expected.size(), T);
            assertTrue(client.next(Duration.ofMillis(50)).isEmpty(), "no reply beyond one per frame");
            assertTrue(client.isOpen(), "the connection stays open");
            return replies;
        }
    }

    static String signature(JsonNode m) {
        String type = WsClient.type(m);
        String head = "error".equals(type) ? "error:" + m.path("code").asText() : type;
        return m.hasNonNull("id") ? head + "#" + m.path("id").asText() : head;
    }

    private static String hello(String id, String token) {
        return "{\"type\":\"hello\",\"id\":\"" + id + "\",\"token\":\"" + token + "\"}";
    }

    /** A ping with an unknown "pad" field, exactly {@code totalBytes} long. */
    private static String pingPaddedTo(int totalBytes, String id) {
        String head = "{\"type\":\"ping\",\"id\":\"" + id + "\",\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(totalBytes - head.length() - tail.length()) + tail;
    }

    private static String requestWithContextValue(String id, String value) {
        return "{\"type\":\"request.create\",\"id\":\"" + id + "\",\"topic\":\"cards\",\"language\":\"en\","
                + "\"context\":{\"note\":\"" + value + "\"}}";
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Random text of any Unicode (never a JSON object), sometimes empty. */
    private static String randomText(Random random) {
        int length = random.nextInt(200);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp;
            do {
                cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x10FFFF);
            } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
            sb.appendCodePoint(cp);
        }
        String s = sb.toString();
        return s.strip().startsWith("{") ? "x" + s : s;
    }

    private static String randomWord(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 + random.nextInt(10); i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private static void assertHealthy() {
        assertEquals(200, node.get("/healthz", null).statusCode());
        assertEquals(200, node.get("/readyz", null).statusCode());
    }
}
