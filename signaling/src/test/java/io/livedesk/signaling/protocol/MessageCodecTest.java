package io.livedesk.signaling.protocol;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.routing.RequestId;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

    private static final String SDP = "v=0\\r\\no=- 46117 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";
    private static final String CANDIDATE = "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50216 typ host\","
            + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";

    private final MessageCodec codec = new MessageCodec();

    // ---- every message type, valid ----

    @Test
    void readsHello() {
        var m = assertInstanceOf(ClientMessage.Hello.class, codec.read("{\"type\":\"hello\",\"id\":\"1\",\"token\":\"abc.def.ghi\"}"));
        assertEquals("1", m.id());
        assertEquals("abc.def.ghi", m.token());
    }

    @Test
    void readsPing() {
        var m = assertInstanceOf(ClientMessage.Ping.class, codec.read("{\"type\":\"ping\",\"id\":\"p-9\"}"));
        assertEquals("p-9", m.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"available", "away"})
    void readsPresenceSet(String status) {
        var m = assertInstanceOf(ClientMessage.PresenceSet.class,
                codec.read("{\"type\":\"presence.set\",\"id\":\"4\",\"status\":\"" + status + "\"}"));
        assertEquals(status, m.status());
    }

    @Test
    void readsRequestCreateWithEveryField() {
        var m = assertInstanceOf(ClientMessage.RequestCreate.class, codec.read(
                "{\"type\":\"request.create\",\"id\":\"2\",\"topic\":\"accounts\",\"language\":\"en\",\"priority\":3,"
                        + "\"context\":{\"page\":\"/cards/lost\",\"channel\":\"web\"}}"));
        assertEquals("accounts", m.topic());
        assertEquals("en", m.language());
        assertEquals(3, m.priority());
        assertEquals(Map.of("page", "/cards/lost", "channel", "web"), m.context());
    }

    @Test
    void requestCreateDefaultsPriorityAndContext() {
        var m = assertInstanceOf(ClientMessage.RequestCreate.class,
                codec.read("{\"type\":\"request.create\",\"id\":\"2\",\"topic\":\"cards\",\"language\":\"zh\"}"));
        assertEquals(0, m.priority());
        assertEquals(Map.of(), m.context());
    }

    @Test
    void readsRequestCancelOfferAcceptAndOfferDecline() {
        assertEquals(RequestId.of("r-1"), assertInstanceOf(ClientMessage.RequestCancel.class,
                codec.read("{\"type\":\"request.cancel\",\"id\":\"3\",\"requestId\":\"r-1\"}")).requestId());
        assertEquals(RequestId.of("r-2"), assertInstanceOf(ClientMessage.OfferAccept.class,
                codec.read("{\"type\":\"offer.accept\",\"id\":\"5\",\"requestId\":\"r-2\"}")).requestId());
        assertEquals(RequestId.of("r-3"), assertInstanceOf(ClientMessage.OfferDecline.class,
                codec.read("{\"type\":\"offer.decline\",\"id\":\"6\",\"requestId\":\"r-3\"}")).requestId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"offer", "answer"})
    void readsCallSignalWithSdp(String sdpType) {
        var m = assertInstanceOf(ClientMessage.CallSignal.class, codec.read(
                "{\"type\":\"call.signal\",\"id\":\"10\",\"callId\":\"r-1\",\"sdp\":{\"type\":\"" + sdpType
                        + "\",\"sdp\":\"" + SDP + "\"}}"));
        assertEquals(sdpType, m.sdp().type());
        assertTrue(m.sdp().sdp().startsWith("v=0\r\n"));
        assertNull(m.candidate());
    }

    @Test
    void readsCallSignalWithCandidate() {
        var m = assertInstanceOf(ClientMessage.CallSignal.class, codec.read(
                "{\"type\":\"call.signal\",\"id\":\"11\",\"callId\":\"r-1\",\"candidate\":" + CANDIDATE + "}"));
        assertNull(m.sdp());
        assertEquals("0", m.candidate().sdpMid());
        assertEquals(0, m.candidate().sdpMLineIndex());
    }

    @Test
    void readsEndOfCandidatesAsAnEmptyCandidate() {
        var m = assertInstanceOf(ClientMessage.CallSignal.class, codec.read(
                "{\"type\":\"call.signal\",\"id\":\"12\",\"callId\":\"r-1\",\"candidate\":{\"candidate\":\"\"}}"));
        assertEquals("", m.candidate().candidate());
    }

    /** Ids are typed when read; one that cannot be an id is refused with the field's name, never a class name. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"call.hangup\",\"id\":\"h1\",\"callId\":\"r 1\"}",
            "{\"type\":\"call.hangup\",\"id\":\"h1\",\"callId\":\"\"}",
            "{\"type\":\"offer.accept\",\"id\":\"h1\",\"requestId\":\"r-\\u00fc\"}",
            "{\"type\":\"request.cancel\",\"id\":\"h1\",\"requestId\":\"%s\"}"})
    void anIdThatIsNoIdIsABadMessageNamingItsField(String template) {
        String frame = template.formatted("x".repeat(65));
        String field = frame.contains("callId") ? "callId" : "requestId";
        InvalidFrameAssert refused = assertInvalid(frame, ErrorCode.BAD_MESSAGE, "h1");
        assertEquals(field + " is not a valid id", refused.message());
    }

    @Test
    void aMissingIdIsRequired() {
        assertEquals("callId is required",
                assertInvalid("{\"type\":\"call.hangup\",\"id\":\"h1\"}", ErrorCode.BAD_MESSAGE, "h1").message());
        assertEquals("requestId is required",
                assertInvalid("{\"type\":\"offer.decline\",\"id\":\"h1\",\"requestId\":null}", ErrorCode.BAD_MESSAGE, "h1")
                        .message());
    }

    @Test
    void readsCallHangup() {
        assertEquals(CallId.of("r-1"), assertInstanceOf(ClientMessage.CallHangup.class,
                codec.read("{\"type\":\"call.hangup\",\"id\":\"12\",\"callId\":\"r-1\"}")).callId());
    }

    @Test
    void readsCallJoinWithMonitorAsTheDefaultMode() {
        var monitor = assertInstanceOf(ClientMessage.CallJoin.class,
                codec.read("{\"type\":\"call.join\",\"id\":\"j1\",\"callId\":\"r-1\"}"));
        assertEquals("monitor", monitor.mode());
        assertFalse(monitor.barge());
        var barge = assertInstanceOf(ClientMessage.CallJoin.class,
                codec.read("{\"type\":\"call.join\",\"id\":\"j1\",\"callId\":\"r-1\",\"mode\":\"barge\"}"));
        assertEquals(true, barge.barge());
        assertEquals(java.util.Set.of(io.livedesk.signaling.auth.Role.SUPERVISOR), barge.allowedRoles());
    }

    @Test
    void readsCallTransfer() {
        var m = assertInstanceOf(ClientMessage.CallTransfer.class, codec.read(
                "{\"type\":\"call.transfer\",\"id\":\"t1\",\"callId\":\"r-1\",\"topic\":\"loans\",\"language\":\"zh\"}"));
        assertEquals("loans", m.topic());
        assertEquals("zh", m.language());
        var named = assertInstanceOf(ClientMessage.CallTransfer.class, codec.read(
                "{\"type\":\"call.transfer\",\"id\":\"t2\",\"callId\":\"r-1\",\"staffId\":\"staff-9\"}"));
        assertEquals(Subject.of("staff-9"), named.staffId());
        assertEquals(null, named.topic());
    }

    /** A colleague is named by their subject: what a token may carry ('@' too), and nothing else. */
    @Test
    void aTransferNamesAColleagueBySubject() {
        var email = assertInstanceOf(ClientMessage.CallTransfer.class, codec.read(
                "{\"type\":\"call.transfer\",\"id\":\"t3\",\"callId\":\"r-1\",\"staffId\":\"li.wei@bank.example\"}"));
        assertEquals(Subject.of("li.wei@bank.example"), email.staffId());
        assertEquals("staffId is not a valid id", assertInvalid(
                "{\"type\":\"call.transfer\",\"id\":\"t4\",\"callId\":\"r-1\",\"staffId\":\"li wei\"}",
                ErrorCode.BAD_MESSAGE, "t4").message());
    }

    @Test
    void idsMayUseTheWholeAllowedAlphabetUpTo64Characters() {
        String id = "Az09._:-" + "x".repeat(56);
        assertEquals(id, codec.read("{\"type\":\"ping\",\"id\":\"" + id + "\"}").id());
    }

    // ---- frames that are not JSON objects: bad_json, no id ----

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "not json", "{", "{\"type\":\"ping\",\"id\":\"1\"", "{\"type\":\"ping\" \"id\":\"1\"}",
            "{'type':'ping','id':'1'}", "[1,2,3]", "\"ping\"", "42", "null", "true",
            "{\"type\":\"ping\",\"id\":\"1\"} trailing", "{\"type\":\"ping\",\"id\":\"1\"}{\"type\":\"ping\"}",
            "{\"type\":\"ping\",\"id\":\"1\",\"id\":\"2\"}"})
    void framesThatAreNotOneJsonObjectAreBadJson(String frame) {
        assertInvalid(frame, ErrorCode.BAD_JSON, null);
    }

    @Test
    void nestingDeeperThanTheLimitIsBadJson() {
        String deep = "[".repeat(500) + "]".repeat(500);
        assertInvalid("{\"type\":\"ping\",\"id\":\"d1\",\"x\":" + deep + "}", ErrorCode.BAD_JSON, null);
    }

    @Test
    void numberLongerThanTheLimitIsBadJson() {
        assertInvalid("{\"type\":\"request.create\",\"id\":\"n1\",\"topic\":\"cards\",\"language\":\"en\","
                + "\"priority\":" + "9".repeat(30) + "}", ErrorCode.BAD_JSON, null);
    }

    @Test
    void shallowNestingIsReadAndOnlyTheUnknownFieldIsRefused() {
        String nested = "[".repeat(10) + "]".repeat(10);
        assertInvalid("{\"type\":\"ping\",\"id\":\"d2\",\"x\":" + nested + "}", ErrorCode.BAD_MESSAGE, "d2");
    }

    // ---- type ----

    @Test
    void missingTypeIsBadMessageWithTheIdEchoed() {
        assertInvalid("{\"id\":\"7\",\"token\":\"t\"}", ErrorCode.BAD_MESSAGE, "7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "null", "{\"x\":1}", "[\"hello\"]", "true"})
    void typeThatIsNotAStringIsBadMessage(String type) {
        assertInvalid("{\"type\":" + type + ",\"id\":\"8\"}", ErrorCode.BAD_MESSAGE, "8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hullo", "HELLO", "", "offer", "call.started", "error", "request.create ", "__proto__"})
    void unknownTypeIsUnknownTypeWithTheIdEchoed(String type) {
        assertInvalid("{\"type\":\"" + type + "\",\"id\":\"9\"}", ErrorCode.UNKNOWN_TYPE, "9");
    }

    // ---- fields ----

    static Stream<Arguments> missingRequiredFields() {
        return Stream.of(
                Arguments.of("hello without token", "{\"type\":\"hello\",\"id\":\"m1\"}"),
                Arguments.of("hello with null token", "{\"type\":\"hello\",\"id\":\"m1\",\"token\":null}"),
                Arguments.of("presence.set without status", "{\"type\":\"presence.set\",\"id\":\"m1\"}"),
                Arguments.of("request.create without topic", "{\"type\":\"request.create\",\"id\":\"m1\",\"language\":\"en\"}"),
                Arguments.of("request.create without language", "{\"type\":\"request.create\",\"id\":\"m1\",\"topic\":\"cards\"}"),
                Arguments.of("request.cancel without requestId", "{\"type\":\"request.cancel\",\"id\":\"m1\"}"),
                Arguments.of("offer.accept without requestId", "{\"type\":\"offer.accept\",\"id\":\"m1\"}"),
                Arguments.of("offer.decline without requestId", "{\"type\":\"offer.decline\",\"id\":\"m1\"}"),
                Arguments.of("call.hangup without callId", "{\"type\":\"call.hangup\",\"id\":\"m1\"}"),
                Arguments.of("call.join without callId", "{\"type\":\"call.join\",\"id\":\"m1\"}"),
                Arguments.of("call.transfer without topic or staffId",
                        "{\"type\":\"call.transfer\",\"id\":\"m1\",\"callId\":\"r\",\"language\":\"en\"}"),
                Arguments.of("call.transfer without language",
                        "{\"type\":\"call.transfer\",\"id\":\"m1\",\"callId\":\"r\",\"topic\":\"loans\"}"),
                Arguments.of("call.signal without callId",
                        "{\"type\":\"call.signal\",\"id\":\"m1\",\"candidate\":" + CANDIDATE + "}"),
                Arguments.of("sdp without sdp text", "{\"type\":\"call.signal\",\"id\":\"m1\",\"callId\":\"r\",\"sdp\":{\"type\":\"offer\"}}"),
                Arguments.of("sdp without type",
                        "{\"type\":\"call.signal\",\"id\":\"m1\",\"callId\":\"r\",\"sdp\":{\"sdp\":\"" + SDP + "\"}}"),
                Arguments.of("candidate without candidate",
                        "{\"type\":\"call.signal\",\"id\":\"m1\",\"callId\":\"r\",\"candidate\":{\"sdpMid\":\"0\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingRequiredFields")
    void missingRequiredFieldIsBadMessageWithTheIdEchoed(String what, String frame) {
        assertInvalid(frame, ErrorCode.BAD_MESSAGE, "m1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\"}", "{\"type\":\"hello\",\"token\":\"t\"}"})
    void missingIdIsBadMessageWithoutId(String frame) {
        assertInvalid(frame, ErrorCode.BAD_MESSAGE, null);
    }

    static Stream<Arguments> wrongFieldTypes() {
        String create = "{\"type\":\"request.create\",\"id\":\"w1\",\"topic\":\"cards\",\"language\":\"en\",";
        return Stream.of(
                Arguments.of("priority as a string", create + "\"priority\":\"3\"}"),
                Arguments.of("priority as a fraction", create + "\"priority\":3.5}"),
                Arguments.of("priority as a whole float", create + "\"priority\":3.0}"),
                Arguments.of("priority as a boolean", create + "\"priority\":true}"),
                Arguments.of("priority as an array", create + "\"priority\":[3]}"),
                Arguments.of("context as an array", create + "\"context\":[\"a\"]}"),
                Arguments.of("context value as a number", create + "\"context\":{\"page\":5}}"),
                Arguments.of("context value as an object", create + "\"context\":{\"page\":{\"a\":\"b\"}}}"),
                Arguments.of("topic as a number", "{\"type\":\"request.create\",\"id\":\"w1\",\"topic\":7,\"language\":\"en\"}"),
                Arguments.of("token as a number", "{\"type\":\"hello\",\"id\":\"w1\",\"token\":12345}"),
                Arguments.of("token as an object", "{\"type\":\"hello\",\"id\":\"w1\",\"token\":{\"jwt\":\"x\"}}"),
                Arguments.of("status as a boolean", "{\"type\":\"presence.set\",\"id\":\"w1\",\"status\":true}"),
                Arguments.of("requestId as a number", "{\"type\":\"offer.accept\",\"id\":\"w1\",\"requestId\":17}"),
                Arguments.of("sdp as a string", "{\"type\":\"call.signal\",\"id\":\"w1\",\"callId\":\"r\",\"sdp\":\"" + SDP + "\"}"),
                Arguments.of("candidate as a string", "{\"type\":\"call.signal\",\"id\":\"w1\",\"callId\":\"r\",\"candidate\":\"candidate:1\"}"),
                Arguments.of("sdpMLineIndex as a string", "{\"type\":\"call.signal\",\"id\":\"w1\",\"callId\":\"r\","
                        + "\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMLineIndex\":\"0\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongFieldTypes")
    void fieldOfTheWrongTypeIsBadMessageWithTheIdEchoed(String what, String frame) {
        assertInvalid(frame, ErrorCode.BAD_MESSAGE, "w1");
    }

    static Stream<Arguments> outOfRangeValues() {
        String create = "{\"type\":\"request.create\",\"id\":\"o1\",";
        return Stream.of(
                Arguments.of("priority below 0", create + "\"topic\":\"cards\",\"language\":\"en\",\"priority\":-1}"),
                Arguments.of("priority above 9", create + "\"topic\":\"cards\",\"language\":\"en\",\"priority\":10}"),
                Arguments.of("topic with capitals", create + "\"topic\":\"Cards\",\"language\":\"en\"}"),
                Arguments.of("topic too long", create + "\"topic\":\"" + "a".repeat(33) + "\",\"language\":\"en\"}"),
                Arguments.of("empty language", create + "\"topic\":\"cards\",\"language\":\"\"}"),
                Arguments.of("status busy", "{\"type\":\"presence.set\",\"id\":\"o1\",\"status\":\"busy\"}"),
                Arguments.of("join mode spy", "{\"type\":\"call.join\",\"id\":\"o1\",\"callId\":\"r\",\"mode\":\"spy\"}"),
                Arguments.of("transfer to a topic with capitals",
                        "{\"type\":\"call.transfer\",\"id\":\"o1\",\"callId\":\"r\",\"topic\":\"Loans\",\"language\":\"en\"}"),
                Arguments.of("transfer to both a topic and a colleague", "{\"type\":\"call.transfer\",\"id\":\"o1\","
                        + "\"callId\":\"r\",\"topic\":\"loans\",\"language\":\"en\",\"staffId\":\"s-1\"}"),
                Arguments.of("transfer to a colleague id with spaces",
                        "{\"type\":\"call.transfer\",\"id\":\"o1\",\"callId\":\"r\",\"staffId\":\"s 1\"}"),
                Arguments.of("transfer of a call id with spaces",
                        "{\"type\":\"call.transfer\",\"id\":\"o1\",\"callId\":\"r 1\",\"topic\":\"loans\",\"language\":\"en\"}"),
                Arguments.of("token over 8192 characters",
                        "{\"type\":\"hello\",\"id\":\"o1\",\"token\":\"" + "t".repeat(8193) + "\"}"),
                Arguments.of("sdpMLineIndex out of range", "{\"type\":\"call.signal\",\"id\":\"o1\",\"callId\":\"r\","
                        + "\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMLineIndex\":65}}"),
                Arguments.of("candidate not starting with candidate:", "{\"type\":\"call.signal\",\"id\":\"o1\",\"callId\":\"r\","
                        + "\"candidate\":{\"candidate\":\"typ host\"}}"),
                Arguments.of("candidate too long", "{\"type\":\"call.signal\",\"id\":\"o1\",\"callId\":\"r\","
                        + "\"candidate\":{\"candidate\":\"candidate:" + "1".repeat(1100) + "\"}}"));
    }

    static Stream<Arguments> badLivestreamMessages() {
        String b = "\"broadcastId\":\"b-1\"";
        return Stream.of(
                Arguments.of("join without broadcastId", "{\"type\":\"broadcast.join\",\"id\":\"l1\"}"),
                Arguments.of("join with a broadcastId that is no id", "{\"type\":\"broadcast.join\",\"id\":\"l1\",\"broadcastId\":\"b 1\"}"),
                Arguments.of("join with a name over 40 characters",
                        "{\"type\":\"broadcast.join\",\"id\":\"l1\"," + b + ",\"name\":\"" + "n".repeat(41) + "\"}"),
                Arguments.of("join with a name with a line break",
                        "{\"type\":\"broadcast.join\",\"id\":\"l1\"," + b + ",\"name\":\"a\\nb\"}"),
                Arguments.of("chat over 500 characters",
                        "{\"type\":\"chat.send\",\"id\":\"l1\"," + b + ",\"text\":\"" + "x".repeat(501) + "\"}"),
                Arguments.of("chat of blanks", "{\"type\":\"chat.send\",\"id\":\"l1\"," + b + ",\"text\":\"  \"}"),
                Arguments.of("chat with a control character",
                        "{\"type\":\"chat.send\",\"id\":\"l1\"," + b + ",\"text\":\"a\\u0000b\"}"),
                Arguments.of("chat text as an object", "{\"type\":\"chat.send\",\"id\":\"l1\"," + b + ",\"text\":{}}"),
                Arguments.of("consult with a card id that is no card",
                        "{\"type\":\"broadcast.consult\",\"id\":\"l1\"," + b + ",\"cardId\":\"card-1\"}"),
                Arguments.of("viewers with limit 0", "{\"type\":\"broadcast.viewers\",\"id\":\"l1\"," + b + ",\"limit\":0}"),
                Arguments.of("viewers with limit 101", "{\"type\":\"broadcast.viewers\",\"id\":\"l1\"," + b + ",\"limit\":101}"),
                Arguments.of("viewers with a negative offset", "{\"type\":\"broadcast.viewers\",\"id\":\"l1\"," + b + ",\"offset\":-1}"),
                Arguments.of("mute without viewerId", "{\"type\":\"viewer.mute\",\"id\":\"l1\"," + b + "}"),
                Arguments.of("remove of a viewer id with spaces",
                        "{\"type\":\"viewer.remove\",\"id\":\"l1\"," + b + ",\"viewerId\":\"v 1\"}"),
                Arguments.of("pin without a card", "{\"type\":\"broadcast.card.pin\",\"id\":\"l1\"," + b + "}"),
                Arguments.of("pin of a card without a name",
                        "{\"type\":\"broadcast.card.pin\",\"id\":\"l1\"," + b + ",\"card\":{\"line\":\"x\"}}"),
                Arguments.of("pin of a card with a javascript link", "{\"type\":\"broadcast.card.pin\",\"id\":\"l1\","
                        + b + ",\"card\":{\"name\":\"x\",\"url\":\"javascript:alert(1)\"}}"),
                Arguments.of("pin of a card with an unknown field", "{\"type\":\"broadcast.card.pin\",\"id\":\"l1\","
                        + b + ",\"card\":{\"name\":\"x\",\"price\":1}}"),
                Arguments.of("pin of a card with a topic with capitals", "{\"type\":\"broadcast.card.pin\",\"id\":\"l1\","
                        + b + ",\"card\":{\"name\":\"x\",\"topic\":\"Loans\"}}"),
                Arguments.of("signal without sdp", "{\"type\":\"broadcast.signal\",\"id\":\"l1\"," + b + "}"),
                Arguments.of("signal with sdp that is not SDP", "{\"type\":\"broadcast.signal\",\"id\":\"l1\"," + b
                        + ",\"sdp\":{\"type\":\"offer\",\"sdp\":\"hello\"}}"),
                Arguments.of("view with a negative height", "{\"type\":\"broadcast.view\",\"id\":\"l1\"," + b
                        + ",\"maxHeight\":-1}"),
                Arguments.of("view taller than any video", "{\"type\":\"broadcast.view\",\"id\":\"l1\"," + b
                        + ",\"maxHeight\":100000}"),
                Arguments.of("view with a height as text", "{\"type\":\"broadcast.view\",\"id\":\"l1\"," + b
                        + ",\"maxHeight\":\"tall\"}"),
                Arguments.of("stage.add without staffId", "{\"type\":\"broadcast.stage.add\",\"id\":\"l1\"," + b + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLivestreamMessages")
    void aBadLivestreamMessageIsBadMessageWithTheIdEchoed(String what, String frame) {
        assertInvalid(frame, ErrorCode.BAD_MESSAGE, "l1");
    }

    @Test
    void readsAViewSize() {
        ClientMessage.BroadcastView view = (ClientMessage.BroadcastView) codec.read(
                "{\"type\":\"broadcast.view\",\"id\":\"4\",\"broadcastId\":\"b-1\",\"maxHeight\":270}");
        assertEquals(270, view.maxHeight());
        assertEquals("b-1", view.broadcastId().value());
    }

    @Test
    void readsLivestreamMessagesWithTheirDefaults() {
        ClientMessage.BroadcastViewers viewers = (ClientMessage.BroadcastViewers) codec.read(
                "{\"type\":\"broadcast.viewers\",\"id\":\"1\",\"broadcastId\":\"b-1\"}");
        assertEquals(0, viewers.offset());
        assertEquals(50, viewers.limit());
        ClientMessage.ViewerMute mute = (ClientMessage.ViewerMute) codec.read(
                "{\"type\":\"viewer.mute\",\"id\":\"1\",\"broadcastId\":\"b-1\",\"viewerId\":\"v@bank\"}");
        assertTrue(mute.muted(), "muting is the default");
        ClientMessage.ChatSend chat = (ClientMessage.ChatSend) codec.read(
                "{\"type\":\"chat.send\",\"id\":\"1\",\"broadcastId\":\"b-1\",\"text\":\"  利率是多少？ 🙂\\nthanks \"}");
        assertEquals("利率是多少？ 🙂\nthanks", chat.text(), "trimmed, one line break kept");
        ClientMessage.BroadcastJoin join = (ClientMessage.BroadcastJoin) codec.read(
                "{\"type\":\"broadcast.join\",\"id\":\"1\",\"broadcastId\":\"b-1\",\"name\":\"   \"}");
        assertNull(join.name(), "a blank name is no name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRangeValues")
    void valueOutOfRangeIsBadMessageWithTheIdEchoed(String what, String frame) {
        assertInvalid(frame, ErrorCode.BAD_MESSAGE, "o1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"ping\",\"id\":\"u1\",\"extra\":1}",
            "{\"type\":\"hello\",\"id\":\"u1\",\"token\":\"t\",\"tokne\":\"t\"}",
            "{\"type\":\"request.create\",\"id\":\"u1\",\"topic\":\"cards\",\"language\":\"en\",\"prio\":1}",
            "{\"type\":\"call.signal\",\"id\":\"u1\",\"callId\":\"r\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\",\"x\":1}}",
            "{\"type\":\"call.hangup\",\"id\":\"u1\",\"callId\":\"r\",\"reason\":\"bye\"}"})
    void unknownFieldIsBadMessageWithTheIdEchoed(String frame) {
        InvalidFrameAssert e = assertInvalid(frame, ErrorCode.BAD_MESSAGE, "u1");
        assertTrue(e.message().contains("unknown field"), e.message());
    }

    // ---- context limits ----

    @Test
    void contextOfTwentyEntriesIsAccepted() {
        var m = assertInstanceOf(ClientMessage.RequestCreate.class, codec.read(createWithContext(context(20, 256))));
        assertEquals(20, m.context().size());
    }

    @Test
    void contextOfMoreThanTwentyEntriesIsBadMessage() {
        assertInvalid(createWithContext(context(21, 10)), ErrorCode.BAD_MESSAGE, "ctx");
    }

    @Test
    void contextValueOverTheLimitIsBadMessage() {
        assertInvalid(createWithContext(context(1, 257)), ErrorCode.BAD_MESSAGE, "ctx");
    }

    @Test
    void contextKeyOverTheLimitOrEmptyIsBadMessage() {
        assertInvalid(createWithContext("{\"" + "k".repeat(65) + "\":\"v\"}"), ErrorCode.BAD_MESSAGE, "ctx");
        assertInvalid(createWithContext("{\"\":\"v\"}"), ErrorCode.BAD_MESSAGE, "ctx");
    }

    @Test
    void contextValueNullIsBadMessage() {
        assertInvalid(createWithContext("{\"page\":null}"), ErrorCode.BAD_MESSAGE, "ctx");
    }

    // ---- SDP and candidates ----

    @ParameterizedTest
    @ValueSource(strings = {"hello", "", " v=0", "V=0", "o=- 1 2 IN IP4 127.0.0.1"})
    void sdpThatDoesNotStartWithV0IsBadMessage(String sdp) {
        assertInvalid(signalWithSdp("offer", sdp), ErrorCode.BAD_MESSAGE, "s1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pranswer", "rollback", "OFFER", ""})
    void sdpTypeOtherThanOfferOrAnswerIsBadMessage(String type) {
        assertInvalid(signalWithSdp(type, "v=0"), ErrorCode.BAD_MESSAGE, "s1");
    }

    @Test
    void sdpOfExactly32KiBIsAcceptedAndOneMoreCharacterIsNot() {
        String max = "v=0" + "a".repeat(ClientMessage.MAX_SDP_CHARS - 3);
        assertNotNull(codec.read(signalWithSdp("offer", max)));
        assertInvalid(signalWithSdp("offer", max + "a"), ErrorCode.BAD_MESSAGE, "s1");
    }

    @Test
    void bothSdpAndCandidateIsBadMessage() {
        assertInvalid("{\"type\":\"call.signal\",\"id\":\"s1\",\"callId\":\"r\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},"
                + "\"candidate\":" + CANDIDATE + "}", ErrorCode.BAD_MESSAGE, "s1");
    }

    @Test
    void neitherSdpNorCandidateIsBadMessage() {
        assertInvalid("{\"type\":\"call.signal\",\"id\":\"s1\",\"callId\":\"r\"}", ErrorCode.BAD_MESSAGE, "s1");
        assertInvalid("{\"type\":\"call.signal\",\"id\":\"s1\",\"callId\":\"r\",\"sdp\":null,\"candidate\":null}",
                ErrorCode.BAD_MESSAGE, "s1");
    }

    // ---- ids ----

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "semi;colon", "slash/", "quote\\\"", "tab\\t", "nul\\u0000", "emoji\uD83D\uDE00",
            "ünïcode", "<script>"})
    void idWithBadCharactersIsBadMessageAndNotEchoed(String id) {
        assertInvalid("{\"type\":\"ping\",\"id\":\"" + id + "\"}", ErrorCode.BAD_MESSAGE, null);
    }

    @Test
    void idOver64CharactersIsBadMessageAndNotEchoed() {
        assertInvalid("{\"type\":\"ping\",\"id\":\"" + "i".repeat(65) + "\"}", ErrorCode.BAD_MESSAGE, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "7.5", "true", "[\"7\"]", "{\"id\":\"7\"}", "null"})
    void idThatIsNotAStringIsBadMessageAndNotEchoed(String id) {
        assertInvalid("{\"type\":\"ping\",\"id\":" + id + "}", ErrorCode.BAD_MESSAGE, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"requestId", "callId"})
    void referenceWithBadCharactersIsBadMessageWithTheRequestIdEchoed(String field) {
        String type = field.equals("requestId") ? "offer.accept" : "call.hangup";
        assertInvalid("{\"type\":\"" + type + "\",\"id\":\"ok-1\",\"" + field + "\":\"../../etc/passwd\"}",
                ErrorCode.BAD_MESSAGE, "ok-1");
        assertInvalid("{\"type\":\"" + type + "\",\"id\":\"ok-1\",\"" + field + "\":\"" + "r".repeat(65) + "\"}",
                ErrorCode.BAD_MESSAGE, "ok-1");
    }

    // ---- error messages are safe to show ----

    @Test
    void errorMessagesNameNoJavaClassesAndClipWhatTheClientSent() {
        String longType = "t".repeat(500);
        InvalidFrameAssert e = assertInvalid("{\"type\":\"" + longType + "\",\"id\":\"x\"}", ErrorCode.UNKNOWN_TYPE, "x");
        assertTrue(e.message().length() < 120, e.message());
        InvalidFrameAssert wrongType = assertInvalid("{\"type\":\"request.create\",\"id\":\"x\",\"topic\":\"cards\","
                + "\"language\":\"en\",\"priority\":\"3\"}", ErrorCode.BAD_MESSAGE, "x");
        assertFalse(wrongType.message().contains("java."), wrongType.message());
        assertFalse(wrongType.message().contains("io.livedesk"), wrongType.message());
    }

    // ---- writing ----

    @Test
    void writesEventsWithoutIdAndRepliesWithIt() throws Exception {
        assertJson("{\"type\":\"queue.update\",\"requestId\":\"r-1\",\"state\":\"waiting\",\"position\":2,\"etaSeconds\":160}",
                codec.write(new ServerMessage.QueueUpdate(RequestId.of("r-1"), ServerMessage.QueueState.WAITING, 2, 160)));
        assertJson("{\"type\":\"error\",\"id\":\"7\",\"code\":\"invalid_state\",\"message\":\"no\"}",
                codec.write(new ServerMessage.Error("7", "invalid_state", "no")));
        assertJson("{\"type\":\"error\",\"code\":\"bad_json\",\"message\":\"no\"}",
                codec.write(new ServerMessage.Error(null, "bad_json", "no")));
        assertJson("{\"type\":\"error\",\"id\":\"8\",\"code\":\"overloaded\",\"message\":\"busy\",\"retryAfterMs\":2000}",
                codec.write(new ServerMessage.Error("8", "overloaded", "busy", 2000L)));
    }

    @Test
    void writesTheMessagesOfThreePartyCallsAndTransfers() throws Exception {
        assertJson("{\"type\":\"call.renegotiate\",\"callId\":\"r-1\",\"receive\":{\"audio\":2,\"video\":2}}",
                codec.write(new ServerMessage.CallRenegotiate(CallId.of("r-1"), new ServerMessage.ReceiveSlots(2, 2))));
        assertJson("{\"type\":\"call.participants\",\"callId\":\"r-1\",\"participants\":[{\"name\":\"Li\",\"role\":\"customer\"},"
                        + "{\"role\":\"supervisor\"}]}",
                codec.write(new ServerMessage.CallParticipants(CallId.of("r-1"), java.util.List.of(
                        new ServerMessage.PeerView("Li", "customer"), new ServerMessage.PeerView(null, "supervisor")))));
        assertJson("{\"type\":\"call.participants\",\"callId\":\"r-1\",\"participants\":[{\"name\":\"Chen\",\"role\":\"supervisor\","
                        + "\"stream\":\"ld-1\",\"supervising\":\"barge\"}]}",
                codec.write(new ServerMessage.CallParticipants(CallId.of("r-1"), java.util.List.of(
                        new ServerMessage.PeerView("Chen", "supervisor", "ld-1", "barge")))));
        assertJson("{\"type\":\"call.transferring\",\"id\":\"9\",\"callId\":\"r-1\",\"topic\":\"loans\",\"language\":\"en\"}",
                codec.write(new ServerMessage.CallTransferring("9", CallId.of("r-1"), "loans", "en", null)));
        assertJson("{\"type\":\"call.transferring\",\"id\":\"9\",\"callId\":\"r-1\",\"staffId\":\"staff-9\"}",
                codec.write(new ServerMessage.CallTransferring("9", CallId.of("r-1"), null, null, Subject.of("staff-9"))));
        assertJson("{\"type\":\"call.transfer.failed\",\"callId\":\"r-1\",\"reason\":\"declined\"}",
                codec.write(new ServerMessage.CallTransferFailed(CallId.of("r-1"), "declined")));
        assertJson("{\"type\":\"call.transferred\",\"callId\":\"r-1\",\"peer\":{\"name\":\"Wang\",\"role\":\"staff\"}}",
                codec.write(new ServerMessage.CallTransferred(CallId.of("r-1"), new ServerMessage.PeerView("Wang", "staff"))));
    }

    private void assertJson(String expected, String actual) throws Exception {
        assertEquals(codec.mapper().readTree(expected), codec.mapper().readTree(actual), actual);
    }

    // ---- helpers ----

    private record InvalidFrameAssert(String message) {
    }

    private InvalidFrameAssert assertInvalid(String frame, ErrorCode code, String echoedId) {
        MessageCodec.InvalidFrame e = assertThrows(MessageCodec.InvalidFrame.class, () -> codec.read(frame),
                () -> "expected " + code + " for " + clip(frame));
        assertEquals(code, e.code(), () -> "code for " + clip(frame) + " (message: " + e.getMessage() + ")");
        assertEquals(echoedId, e.requestId(), () -> "echoed id for " + clip(frame));
        assertNotNull(e.getMessage());
        return new InvalidFrameAssert(e.getMessage());
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static String context(int entries, int valueLength) {
        return IntStream.range(0, entries)
                .mapToObj(i -> "\"k" + i + "\":\"" + "v".repeat(valueLength) + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String createWithContext(String context) {
        return "{\"type\":\"request.create\",\"id\":\"ctx\",\"topic\":\"cards\",\"language\":\"en\",\"context\":" + context + "}";
    }

    private static String signalWithSdp(String type, String sdp) {
        return "{\"type\":\"call.signal\",\"id\":\"s1\",\"callId\":\"r-1\",\"sdp\":{\"type\":\"" + type + "\",\"sdp\":\"" + sdp + "\"}}";
    }

    private String requestIdOf(String frame) {
        return codec.requestId(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
    }

    @Test
    void theRequestIdOfAFrameRefusedBeforeDecodingIsFoundWithoutReadingTheRest() {
        assertEquals("7", requestIdOf("{\"type\":\"ping\",\"id\":\"7\"}"));
        assertEquals("a-1", requestIdOf("{\"context\":{\"id\":\"inner\",\"x\":[1,{\"id\":\"deeper\"}]},\"id\":\"a-1\"}"),
                "only the top level counts");
        assertEquals("s2", requestIdOf("{\"type\":\"ping\",\"id\":\"s2\",\"pad\":\"" + "x".repeat(70_000)),
                "the id before a cut-off tail is still found");
        assertNull(requestIdOf("{\"type\":\"ping\"}"));
        assertNull(requestIdOf("{\"id\":7}"), "not a string");
        assertNull(requestIdOf("{\"id\":\"" + "x".repeat(200) + "\"}"), "not a valid id");
        assertNull(requestIdOf("[{\"id\":\"7\"}]"));
        assertNull(requestIdOf("not json"));
        assertNull(requestIdOf(""));
    }
}
