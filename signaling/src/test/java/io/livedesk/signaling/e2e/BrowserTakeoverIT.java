package io.livedesk.signaling.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.server.BridgeNode;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.cluster.RedisSessionStore;
import io.livedesk.signaling.cluster.SessionLocation;
import io.livedesk.signaling.media.CallMeetings;
import io.livedesk.signaling.media.RedisCallMediaStore;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.redis.RedisConnections;
import io.livedesk.signaling.redis.RedisKeys;
import io.livedesk.signaling.testing.FailoverProxy;
import io.livedesk.signaling.testing.RedisServerExtension;
import io.livedesk.signaling.testing.TestNode;
import io.livedesk.testkit.browser.Browsers;
import io.livedesk.testkit.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.livedesk.signaling.e2e.CallPages.awaitState;
import static io.livedesk.signaling.e2e.CallPages.by;
import static io.livedesk.signaling.e2e.CallPages.clickInLiveCalls;
import static io.livedesk.signaling.e2e.CallPages.decodingStreams;
import static io.livedesk.signaling.e2e.CallPages.framesOf;
import static io.livedesk.signaling.e2e.CallPages.mediaStats;
import static io.livedesk.signaling.e2e.CallPages.number;
import static io.livedesk.signaling.e2e.CallPages.ownVideo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node loss with real pages (issue 13): two signaling nodes on one real Redis, one remote bridge node, and a
 * customer–staff video call in headless Chromium whose pages reach the nodes through a loopback forwarder
 * standing in for the load balancer ({@link FailoverProxy}: new connections go to node A while it accepts them,
 * then to node B). Node A, which answered the call and holds its media, is killed as a crash would
 * ({@code halt()}). Both pages keep decoding the other's video on the same RTCPeerConnection while no node holds
 * the call (their media goes through the bridge, never through a signaling node); their sockets drop, they
 * reconnect through the forwarder to node B and resume the call; node B claims A dead, adopts the conference and
 * asks both pages to offer again, answered on the same bridge transport. The call is then controllable on B: a
 * supervisor barges in from a third page (everyone is renegotiated: the supervisor decodes both parties, both
 * parties decode the supervisor), and the staff member hangs up from the desk, which expires the conference.
 * How long each step took after the kill is logged.
 */
@Timeout(300)
class BrowserTakeoverIT {
    private static final Logger log = LoggerFactory.getLogger(BrowserTakeoverIT.class);
    private static final Duration NODE_TTL = Duration.ofSeconds(2);
    /** Generous: the node TTL, the pages' reconnect backoff (up to 1 s, then 2 s, ...), renegotiation, a busy machine. */
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * A longer stall than this in a page's decoding counts as its media having stopped. Generous: at load 30 on two
     * cores a page's own sampling saw 2.4 s without a new frame while its media flowed on.
     */
    private static final long MAX_STALL_MS = 8000;
    private static final Pattern ORIGIN_VERSION = Pattern.compile("(?m)^o=\\S+ \\S+ (\\d+) ");
    private static final Pattern UFRAG = Pattern.compile("(?m)^a=ice-ufrag:(\\S+)");
    private static final String PC = "const pc = arguments[0] === 'desk' ? window.LiveDeskDesk.peerConnection()"
            + " : window.LiveDesk.debug.peerConnection();";
    /**
     * Marks the page's RTCPeerConnection and samples it every 100 ms from now on, inside the page (no round trip
     * through the driver): time, video frames decoded, connection state, the version of the bridge's last answer.
     */
    private static final String START_SAMPLING = PC + """
            pc.__beforeKill = true;
            const version = () => {
              const m = /^o=\\S+ \\S+ (\\d+) /m.exec(pc.remoteDescription ? pc.remoteDescription.sdp : '');
              return m ? Number(m[1]) : -1;
            };
            window.__samples = [];
            window.__sampler = setInterval(() => pc.getStats().then(stats => {
              let frames = 0;
              stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
              window.__samples.push({t: Date.now(), frames: frames, state: pc.connectionState, version: version()});
            }), 100);
            """;
    private static final String STOP_SAMPLING = "clearInterval(window.__sampler); return window.__samples;";
    private static final String REMOTE_SDP = PC + "return pc && pc.remoteDescription ? pc.remoteDescription.sdp : '';";
    private static final String SAME_PC = PC + "return pc.__beforeKill === true;";
    private static final String ONLINE = """
            const banner = arguments[0] === 'desk' ? document.querySelector("[data-testid='desk-banner']")
                : window.LiveDesk.debug.root().querySelector("[data-testid='ld-banner']");
            return !!banner && banner.hidden;
            """;

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static Map<String, Object> settings(String nodeId, BridgeNode bridge) {
        Map<String, Object> s = new HashMap<>(Map.of("livedesk.node-id", nodeId, "livedesk.redis.url", REDIS.url(),
                "livedesk.calls.media", "bridge",
                "livedesk.bridge.remote", List.of("http://127.0.0.1:" + bridge.httpAddress().getPort()),
                "livedesk.bridge.health-interval", "200ms",
                "livedesk.cluster.heartbeat-interval", "250ms",
                "livedesk.cluster.node-ttl", NODE_TTL.toMillis() + "ms"));
        s.put("livedesk.auth.admin-key", CallPages.ADMIN_KEY);
        // Three pages share two cores: accepting an offer may take longer than the production ring time.
        s.put("livedesk.routing.ring-timeout", "60s");
        return s;
    }

    @Test
    void whenTheNodeHoldingABrowserCallDiesThePagesKeepTheirMediaAndTheCallGoesOnUnderTheOtherNode() throws Exception {
        int mediaPort = TestNode.freeUdpPort();
        try (BridgeNode bridge = BridgeNode.start(new BridgeNode.Settings("bridge-1", "127.0.0.1", mediaPort,
                "127.0.0.1", 0, 2, Duration.ofSeconds(60), false, "test"));
             TestNode a = TestNode.start(settings("node-a", bridge));
             TestNode b = TestNode.start(settings("node-b", bridge));
             FailoverProxy balancer = FailoverProxy.start(a.port(), b.port());
             RedisConnections redis = new RedisConnections(REDIS.url(), Duration.ofSeconds(5));
             Browsers browsers = Browsers.start(3)) {
            RedisSessionStore sessions = new RedisSessionStore(redis, new RedisKeys("ld"));
            RedisCallMediaStore stored = new RedisCallMediaStore(redis, new RedisKeys("ld"), new MessageCodec().mapper());
            for (TestNode node : List.of(a, b)) {
                await(node.nodeId() + " checked the bridge").atMost(WAIT).until(() -> node.node().bridgePool().members()
                        .stream().anyMatch(m -> m.up() && m.stats() != null));
            }
            CallPages pages = new CallPages(balancer.baseUrl(), CallPages.ADMIN_KEY);
            Chromium staff = browsers.get(0);
            Chromium customer = browsers.get(1);
            Chromium supervisor = browsers.get(2);
            Map<String, Chromium> byPage = new LinkedHashMap<>();
            byPage.put("desk", staff);
            byPage.put("widget", customer);

            String callId = pages.connectCall(staff, customer);
            assertEquals("node-a", mediaNodeOf(b, callId), "the node the pages reached answered the call and holds its media");
            assertEquals(0, balancer.connectionsTo(b.port()), "while node A lives, the balancer sends everyone there");
            MeetingId meeting = CallMeetings.meetingOf(CallId.of(callId));
            List<String> endpoints = endpointIds(bridge, meeting);
            assertEquals(2, endpoints.size(), endpoints.toString());
            Map<String, String> answers = new HashMap<>();
            for (var page : byPage.entrySet()) {
                Map<String, Object> s = await().atMost(Duration.ofSeconds(10))
                        .until(() -> mediaStats(page.getValue(), page.getKey()), st -> Boolean.TRUE.equals(st.get("nominated")));
                assertEquals(mediaPort, number(s, "remotePort"), page.getKey() + "'s media goes through the bridge: " + s);
                answers.put(page.getKey(), remoteSdp(page.getValue(), page.getKey()));
                page.getValue().js(START_SAMPLING, page.getKey());
            }

            // Node A crashes: no goodbye, its sockets just drop.
            long killedAt = System.currentTimeMillis();
            a.kill();
            long haltedAt = System.currentTimeMillis();
            Map<String, Long> seen = new LinkedHashMap<>();
            long[] unheldUntil = {killedAt}; // the last time node B was seen not holding the call yet (A is dead)
            await("the pages are back on node B, which took the call over and renegotiated both").atMost(RECOVERY)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!seen.containsKey("reconnected") && roles(sessions, "node-b").containsAll(Set.of(Role.STAFF, Role.CUSTOMER))
                                && byPage.entrySet().stream().allMatch(p -> Boolean.TRUE.equals(p.getValue().js(ONLINE, p.getKey())))) {
                            seen.put("reconnected", System.currentTimeMillis());
                        }
                        long asked = System.currentTimeMillis();
                        String mediaNode = mediaNodeOf(b, callId);
                        if ("node-a".equals(mediaNode)) {
                            unheldUntil[0] = asked;
                        } else if (!seen.containsKey("taken over") && "node-b".equals(mediaNode)) {
                            seen.put("taken over", System.currentTimeMillis());
                        }
                        if (!seen.containsKey("renegotiated") && byPage.entrySet().stream().allMatch(p ->
                                version(remoteSdp(p.getValue(), p.getKey())) > version(answers.get(p.getKey())))) {
                            seen.put("renegotiated", System.currentTimeMillis());
                        }
                        return seen.size() == 3;
                    });
            assertTrue(balancer.connectionsTo(b.port()) >= 2, "the pages came back through the balancer to node B");

            // Their media never stopped: decoding went on while no node held the call, on the same connection.
            for (var page : byPage.entrySet()) {
                String which = page.getKey();
                Chromium browser = page.getValue();
                List<Map<String, Object>> samples = samples(browser);
                long before = version(answers.get(which));
                List<Map<String, Object>> afterKill = samples.stream().filter(s -> number(s, "t") >= killedAt).toList();
                List<Map<String, Object>> unheld = afterKill.stream().filter(s -> number(s, "t") <= unheldUntil[0]).toList();
                assertTrue(unheld.size() >= 2, which + ": sampled between the kill and the takeover ("
                        + (unheldUntil[0] - killedAt) + " ms): " + afterKill);
                long decodedUnheld = number(unheld.get(unheld.size() - 1), "frames") - number(unheld.get(0), "frames");
                assertTrue(decodedUnheld > 0, which + " decoded video while no node held the call: " + unheld);
                List<Map<String, Object>> notRenegotiated = afterKill.stream().filter(s -> number(s, "version") == before).toList();
                long decodedBeforeRenegotiation = number(notRenegotiated.get(notRenegotiated.size() - 1), "frames")
                        - number(notRenegotiated.get(0), "frames");
                for (Map<String, Object> s : afterKill) {
                    assertEquals("connected", s.get("state"), which + "'s connection to the bridge stayed up: " + s);
                }
                long stall = longestStall(afterKill);
                assertTrue(stall < MAX_STALL_MS, which + " stopped decoding for " + stall + " ms: " + afterKill);
                assertEquals(Boolean.TRUE, browser.js(SAME_PC, which), which + " kept its RTCPeerConnection");
                String again = remoteSdp(browser, which);
                assertEquals(ufrag(answers.get(which)), ufrag(again), which + " was answered on the same bridge transport");
                log.info("{}: decoded {} frames in the {} ms after the kill while no node held the call, {} before "
                                + "node B renegotiated it; longest stall after the kill {} ms ({} samples)", which,
                        decodedUnheld, unheldUntil[0] - killedAt, decodedBeforeRenegotiation, stall, afterKill.size());
            }
            assertEquals(endpoints, endpointIds(bridge, meeting), "the same endpoints on the bridge, none added");
            assertEquals(1, bridge.bridge().stats().conferences(), "no new conference");
            assertEquals("node-b", stored.get(CallId.of(callId)).orElseThrow().node());
            for (var page : byPage.entrySet()) {
                long frames = number(mediaStats(page.getValue(), page.getKey()), "frames");
                await(page.getKey() + " decodes after the renegotiation").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> number(mediaStats(page.getValue(), page.getKey()), "frames") > frames + 10);
            }
            log.info("node A killed (halt took {} ms); node B took the call over after {} ms (node ttl {} ms); "
                            + "both pages reconnected through the balancer after {} ms; both renegotiated by node B "
                            + "(the call controllable again) after {} ms", haltedAt - killedAt,
                    seen.get("taken over") - killedAt, NODE_TTL.toMillis(), seen.get("reconnected") - killedAt,
                    seen.get("renegotiated") - killedAt);

            // A supervisor barges in on node B: everyone is renegotiated and receives everyone.
            long joining = System.currentTimeMillis();
            pages.signInToConsole(supervisor, pages.supervisorToken());
            clickInLiveCalls(supervisor, callId, "desk-barge");
            awaitState(supervisor, "desk", "in-call");
            long inCall = System.currentTimeMillis();
            assertTrue(roles(sessions, "node-b").contains(Role.SUPERVISOR), "the supervisor is on node B");
            long supervisorVideo = await().atMost(WAIT).until(() -> ownVideo(supervisor, "desk"), v -> v > 0);
            long staffVideo = ownVideo(staff, "desk");
            long customerVideo = ownVideo(customer, "widget");
            await("the supervisor decodes both parties").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> decodingStreams(supervisor, "desk").containsAll(Set.of(staffVideo, customerVideo)));
            long supervisorDecodes = System.currentTimeMillis();
            for (var page : byPage.entrySet()) {
                await(page.getKey() + " decodes the supervisor").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                        .until(() -> decodingStreams(page.getValue(), page.getKey()).contains(supervisorVideo));
            }
            long partiesDecode = System.currentTimeMillis();
            assertEquals(mediaPort, number(mediaStats(supervisor, "desk"), "remotePort"), "the supervisor's media comes from the bridge");
            assertEquals(3, bridge.bridge().conferenceStats(meeting).endpoints().size());
            Map<String, Long> otherParty = Map.of("desk", customerVideo, "widget", staffVideo);
            for (var page : byPage.entrySet()) {
                long other = otherParty.get(page.getKey());
                long frames = framesOf(page.getValue(), page.getKey(), other);
                await(page.getKey() + " still decodes the other party").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> framesOf(page.getValue(), page.getKey(), other) > frames + 10);
            }
            log.info("supervisor on node B: in the call {} ms after their page opened the console; decoding both parties "
                    + "{} ms later; both parties decoding the supervisor {} ms after that", inCall - joining,
                    supervisorDecodes - inCall, partiesDecode - supervisorDecodes);

            // The staff member hangs up from the desk: the call ends everywhere and its conference expires.
            staff.driver().findElement(by("desk-hangup")).click();
            awaitState(staff, "desk", "ended");
            awaitState(customer, "widget", "ended");
            await("hanging up expires the conference on the bridge").atMost(WAIT)
                    .until(() -> bridge.bridge().stats().conferences() == 0);
            JsonNode record = new ObjectMapper().readTree(pages.get("/api/calls/" + callId, pages.supervisorToken()));
            assertEquals("staff_hangup", record.path("endReason").asText(), record.toString());
            assertEquals(Optional.empty(), stored.get(CallId.of(callId)), "the stored media state is removed");
        }
    }

    private static String mediaNodeOf(TestNode node, String callId) {
        return node.node().calls().get(CallId.of(callId)).map(CallRecord::mediaNode).orElse(null);
    }

    private static Set<Role> roles(RedisSessionStore sessions, String nodeId) {
        return sessions.boundOn(nodeId).stream().map(SessionLocation::role).collect(Collectors.toSet());
    }

    private static List<String> endpointIds(BridgeNode bridge, MeetingId meeting) throws Exception {
        return bridge.bridge().conferenceStats(meeting).endpoints().stream().map(EndpointStats::id).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> samples(Chromium page) {
        return (List<Map<String, Object>>) page.js(STOP_SAMPLING);
    }

    /** The longest time in the samples during which the frames decoded did not go up. */
    private static long longestStall(List<Map<String, Object>> samples) {
        long longest = 0;
        long since = number(samples.get(0), "t");
        long frames = number(samples.get(0), "frames");
        for (Map<String, Object> s : samples) {
            if (number(s, "frames") > frames) {
                frames = number(s, "frames");
                since = number(s, "t");
            }
            longest = Math.max(longest, number(s, "t") - since);
        }
        return longest;
    }

    private static String remoteSdp(Chromium page, String which) {
        return String.valueOf(page.js(REMOTE_SDP, which));
    }

    /** The session version of an SDP's origin line; -1 for none. */
    private static long version(String sdp) {
        Matcher m = ORIGIN_VERSION.matcher(sdp);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String ufrag(String sdp) {
        Matcher m = UFRAG.matcher(sdp);
        assertTrue(m.find(), sdp);
        return m.group(1);
    }
}
